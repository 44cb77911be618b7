std.xor(true, true)
