std.join([42], [])
