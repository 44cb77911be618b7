std.isEmpty(10)
