std.primitiveEquals("xxx", "xxx")
