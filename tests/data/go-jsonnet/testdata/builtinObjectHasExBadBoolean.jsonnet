std.objectHasEx({}, "xxx", "xxx")
