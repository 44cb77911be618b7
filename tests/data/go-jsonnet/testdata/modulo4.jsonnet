std.modulo(-16, 3)
