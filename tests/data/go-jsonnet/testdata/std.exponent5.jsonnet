std.exponent(42 << 30)
