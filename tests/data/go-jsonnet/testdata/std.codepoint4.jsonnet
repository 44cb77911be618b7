std.codepoint("ą")
