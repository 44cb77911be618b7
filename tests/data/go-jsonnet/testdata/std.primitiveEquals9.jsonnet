std.primitiveEquals(42, error "x")
