std.exponent(42)
