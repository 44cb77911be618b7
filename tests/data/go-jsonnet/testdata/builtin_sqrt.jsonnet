std.sqrt(4)
