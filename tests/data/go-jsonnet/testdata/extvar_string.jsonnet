std.extVar("stringVar")
