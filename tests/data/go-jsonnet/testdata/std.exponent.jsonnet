std.exponent(0)
