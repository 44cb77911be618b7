{ x: 42 } { y: { "false": "x" in super } }
