std.pow(2, 10)
