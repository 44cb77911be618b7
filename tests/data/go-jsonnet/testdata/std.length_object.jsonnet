std.length({x: 42, y: 43})
