import "false.jsonnet"
