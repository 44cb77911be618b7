std.exp(12)
