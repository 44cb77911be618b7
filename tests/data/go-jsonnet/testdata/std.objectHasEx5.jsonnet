std.objectHasEx({"x":: null} + {"x": null}, "x", false)
