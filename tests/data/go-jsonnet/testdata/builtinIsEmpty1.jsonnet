std.isEmpty("non-empty string")
