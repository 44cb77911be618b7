std.sort([1,2, error "foo"])
