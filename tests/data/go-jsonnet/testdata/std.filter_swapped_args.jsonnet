std.filter([1,2,3], function(n) true)
