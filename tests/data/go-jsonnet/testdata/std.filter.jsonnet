std.filter(function(n) std.mod(n, 2) == 1, [1, 2, 3, 4, 5])
