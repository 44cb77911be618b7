std.primitiveEquals(42, function() 42)
