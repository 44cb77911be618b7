std.toString([])
