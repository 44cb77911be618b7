std.primitiveEquals([], 42)
