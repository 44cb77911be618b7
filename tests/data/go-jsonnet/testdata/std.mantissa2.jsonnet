std.mantissa(42)
