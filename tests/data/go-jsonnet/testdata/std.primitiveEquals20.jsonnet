std.primitiveEquals(true, "xxx")
