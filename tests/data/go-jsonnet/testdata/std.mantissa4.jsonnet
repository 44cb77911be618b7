std.mantissa(1e100)
