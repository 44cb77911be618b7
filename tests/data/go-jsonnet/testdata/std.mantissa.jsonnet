std.mantissa(0)
