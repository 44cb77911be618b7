std.char(0)
