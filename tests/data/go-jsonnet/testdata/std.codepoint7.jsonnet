// Two codepoint version using combining ogonek u0328
std.codepoint("ą")
