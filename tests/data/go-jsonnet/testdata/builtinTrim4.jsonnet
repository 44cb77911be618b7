std.trim(10)
