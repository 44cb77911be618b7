std.assertEqual([], [])
