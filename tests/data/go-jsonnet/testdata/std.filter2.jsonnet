std.filter(error "x", [])
