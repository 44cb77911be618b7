std.char(65)
