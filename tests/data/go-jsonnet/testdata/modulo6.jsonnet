std.modulo(15.5, 1)
