std.modulo(42, 2.5)
