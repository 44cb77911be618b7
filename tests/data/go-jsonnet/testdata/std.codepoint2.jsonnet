std.codepoint("\u0000")
