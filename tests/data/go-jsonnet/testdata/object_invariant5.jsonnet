std.type({assert false})
