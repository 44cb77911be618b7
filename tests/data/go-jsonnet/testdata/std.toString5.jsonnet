std.toString(error "x")
