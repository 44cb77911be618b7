std.flatMap(function(x) [], [1, 2, 3])
