std.makeArray(2.5, function(i) i)
