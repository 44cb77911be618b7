std.length({x: 1, y: 1} + {x: 2, z: 2})
