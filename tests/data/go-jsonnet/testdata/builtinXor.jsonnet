std.xor(true, false)
