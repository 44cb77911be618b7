std.floor(2.5)
