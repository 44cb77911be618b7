std.exp(100)
