std.type([error "x"])
