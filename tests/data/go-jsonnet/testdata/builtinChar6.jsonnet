// biggest allowed
std.char(1114111)
