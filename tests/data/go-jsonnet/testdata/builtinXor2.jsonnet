std.xor("true", false)
