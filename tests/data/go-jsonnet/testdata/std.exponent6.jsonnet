std.exponent(42 / (1 << 30))
