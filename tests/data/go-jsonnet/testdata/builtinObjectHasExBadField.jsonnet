std.objectHasEx({}, 42, false)
