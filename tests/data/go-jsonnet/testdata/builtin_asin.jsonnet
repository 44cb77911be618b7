std.asin(1)
