std.isEmpty("")
