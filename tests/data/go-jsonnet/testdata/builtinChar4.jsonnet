std.char(42)
