std.toString({})
