std.assertEqual({}, {})
