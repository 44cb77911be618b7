std.assertEqual("\n ", "\n")
