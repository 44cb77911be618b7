std.primitiveEquals(1, 1)
