std.join([42], [[1]])
