std.substr("abcd", 1, 2)
