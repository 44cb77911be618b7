std.primitiveEquals("xxx", "xxy")
