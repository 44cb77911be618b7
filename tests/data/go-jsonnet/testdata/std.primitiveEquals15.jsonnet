std.primitiveEquals({}, 42)
