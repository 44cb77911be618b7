std.md5(42)
