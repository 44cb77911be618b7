std.primitiveEquals(true, true)
