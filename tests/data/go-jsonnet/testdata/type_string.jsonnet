std.type("xxx")
