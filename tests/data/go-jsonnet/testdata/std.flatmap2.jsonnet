std.flatMap(function(x) [1, 2, 3], ["a", 2, 3, 4, 5])
