std.flatMap(function(x) [x, x], [1, 2, 3, 4, 5])
