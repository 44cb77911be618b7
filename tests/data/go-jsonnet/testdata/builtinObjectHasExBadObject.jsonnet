std.objectHasEx(42, "x", false)
