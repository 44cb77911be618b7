importstr "false.jsonnet"
