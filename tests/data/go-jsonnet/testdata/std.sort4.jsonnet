std.sort([1, [error "foo"]])
