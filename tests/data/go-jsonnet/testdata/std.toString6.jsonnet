std.toString({x: [{y: []}]})
