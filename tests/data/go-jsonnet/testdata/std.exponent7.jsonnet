std.exponent(-42)
