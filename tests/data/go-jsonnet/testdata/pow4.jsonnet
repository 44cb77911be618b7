std.pow(-1, 0.2)
