std.objectHasEx({"x":: null}, "x", true)
