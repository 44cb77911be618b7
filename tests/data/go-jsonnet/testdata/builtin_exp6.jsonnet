std.exp(-2)
