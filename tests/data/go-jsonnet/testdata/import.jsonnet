import "true.jsonnet"
