std.makeArray("xxx", function(i) i)
