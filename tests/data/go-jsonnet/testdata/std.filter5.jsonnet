std.filter(function(n) 42, 42)
