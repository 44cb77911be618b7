std.extVar("codeVar")
