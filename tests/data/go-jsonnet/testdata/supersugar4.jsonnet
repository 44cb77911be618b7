{ assert self.x, y: 42 } { x: true, y +: 1 }
