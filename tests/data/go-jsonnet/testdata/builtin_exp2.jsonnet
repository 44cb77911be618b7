std.exp(0)
