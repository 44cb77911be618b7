std.length(function(x, y) 42)
