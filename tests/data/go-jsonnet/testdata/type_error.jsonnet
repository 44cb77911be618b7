std.type(error "xxx")
