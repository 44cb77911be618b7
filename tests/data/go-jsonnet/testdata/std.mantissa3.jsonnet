std.mantissa(0.42)
