std.sort([1,2,3])
