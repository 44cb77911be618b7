importstr "true.jsonnet"
