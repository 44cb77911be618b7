{ "false": "x" in super }
