import "std.thisFile.jsonnet"
