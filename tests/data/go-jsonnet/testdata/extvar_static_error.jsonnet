std.extVar("staticErrorVar")
