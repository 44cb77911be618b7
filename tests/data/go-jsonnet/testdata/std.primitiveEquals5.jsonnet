std.primitiveEquals(1, "x")
