std.reverse(false)
