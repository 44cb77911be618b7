std.assertEqual({x: 1}, {x: 2})
