std.mod(42, 5)
