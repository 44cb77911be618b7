std.avg([1,2,3])
