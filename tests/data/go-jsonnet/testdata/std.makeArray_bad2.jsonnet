std.makeArray(42, "xxx")
