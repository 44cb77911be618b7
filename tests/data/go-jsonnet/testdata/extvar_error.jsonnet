std.extVar("errorVar")
