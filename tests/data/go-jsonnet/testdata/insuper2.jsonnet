{ } { x: "x" in super }
