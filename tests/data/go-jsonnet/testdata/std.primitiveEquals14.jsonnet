std.primitiveEquals(42, {})
