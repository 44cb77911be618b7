std.xnor(true, false)
