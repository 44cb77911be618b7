std.native("jsonToString")(error "xxx")
