std.md5("a")
