std.primitiveEquals(3.14, 3.15)
