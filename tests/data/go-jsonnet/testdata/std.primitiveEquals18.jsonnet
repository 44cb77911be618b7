std.primitiveEquals(null, null)
