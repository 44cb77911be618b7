std.acos(1)
