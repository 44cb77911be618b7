std.type(std.type)
