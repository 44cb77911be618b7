std.primitiveEquals(function() 42, function() 42)
