std.md5("xxx")
