std.objectHas({assert false}, "x")
