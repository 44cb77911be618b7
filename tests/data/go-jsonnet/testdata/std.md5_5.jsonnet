std.md5("ą")
