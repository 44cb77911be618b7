import "syntax_error.jsonnet"
