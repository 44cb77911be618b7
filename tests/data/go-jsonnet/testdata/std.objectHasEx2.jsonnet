std.objectHasEx({"x":: null}, "x", false)
