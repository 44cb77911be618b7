std.ceil(2.5)
