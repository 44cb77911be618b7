std.extVar("UNKNOWN")
