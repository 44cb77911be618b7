std.mantissa(42 / (1 << 30))
