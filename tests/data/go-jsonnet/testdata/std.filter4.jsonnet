std.filter(42, [])
