std.xnor(false, false)
