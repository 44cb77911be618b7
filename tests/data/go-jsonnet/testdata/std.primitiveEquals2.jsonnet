std.primitiveEquals(1, 2)
