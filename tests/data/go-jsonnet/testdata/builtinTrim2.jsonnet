std.trim("string with newline character at end\n")
