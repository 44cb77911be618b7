std.filter(42, "42")
