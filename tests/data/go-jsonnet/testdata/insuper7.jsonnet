std.type({ assert false } { x: "x" in super })
