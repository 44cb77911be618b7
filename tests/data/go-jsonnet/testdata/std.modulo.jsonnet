std.modulo(42, 5)
