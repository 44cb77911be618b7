std.assertEqual({x:: 42}, {})
