std.exponent(1e30)
