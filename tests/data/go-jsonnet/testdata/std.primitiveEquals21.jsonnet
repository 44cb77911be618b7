std.primitiveEquals("xxx", 42)
