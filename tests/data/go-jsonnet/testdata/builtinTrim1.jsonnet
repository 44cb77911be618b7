std.trim("    string with spaces on both ends     ")
