std.pow(10, 2)
