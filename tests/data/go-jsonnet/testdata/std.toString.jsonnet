std.toString("xxx")
