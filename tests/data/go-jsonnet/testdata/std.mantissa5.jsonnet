std.mantissa(42 << 30)
