std.modulo(42, 3)
