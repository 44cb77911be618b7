std.char("xxx")
