std.exponent(1 << 30)
