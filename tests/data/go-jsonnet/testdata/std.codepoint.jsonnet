std.codepoint('A')
