std.cos(1)
