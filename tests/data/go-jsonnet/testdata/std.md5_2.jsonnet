std.md5("")
