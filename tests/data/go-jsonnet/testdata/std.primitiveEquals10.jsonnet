std.primitiveEquals(error "x", 42)
