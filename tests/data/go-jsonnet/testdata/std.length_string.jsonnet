std.length("xxx")
