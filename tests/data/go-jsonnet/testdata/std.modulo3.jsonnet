std.modulo("xxx", 42)
