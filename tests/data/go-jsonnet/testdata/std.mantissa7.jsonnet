std.mantissa(-42)
