std.codepoint("aa")
