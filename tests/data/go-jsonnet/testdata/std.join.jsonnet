std.join([], [])
