std.md5("message digest")
