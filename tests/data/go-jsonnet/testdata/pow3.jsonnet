std.pow(-1, 3)
