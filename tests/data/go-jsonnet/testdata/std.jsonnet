std.length("x")
