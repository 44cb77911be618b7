std.primitiveEquals(42, [])
