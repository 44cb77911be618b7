std.type({x: error "x"})
