std.pow("xxx", 42)
