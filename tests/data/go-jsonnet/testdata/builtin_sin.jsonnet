std.sin(1)
