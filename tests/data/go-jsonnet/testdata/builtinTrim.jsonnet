std.trim("already trimmed string")
