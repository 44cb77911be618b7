std.pow(42, "xxx")
