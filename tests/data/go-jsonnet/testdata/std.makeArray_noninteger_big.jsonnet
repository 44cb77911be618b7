std.makeArray(1e100, function(i) i)
