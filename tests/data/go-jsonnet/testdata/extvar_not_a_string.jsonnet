std.extVar(42)
