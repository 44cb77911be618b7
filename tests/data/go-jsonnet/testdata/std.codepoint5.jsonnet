std.codepoint("台")
