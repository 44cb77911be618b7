std.toString(2)
