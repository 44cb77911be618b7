std.exp(3.14)
