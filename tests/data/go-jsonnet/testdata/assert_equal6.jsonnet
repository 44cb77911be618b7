std.assertEqual("\u001b[31m", "")
