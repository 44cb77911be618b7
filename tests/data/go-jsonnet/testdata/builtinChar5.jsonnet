// too big
std.char(1114112)
