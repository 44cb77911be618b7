std.extVar("selfRecursiveVar")
