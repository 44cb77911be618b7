{ assert self.x } { x +: true }
