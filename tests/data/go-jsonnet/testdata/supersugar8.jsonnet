{ assert self.x } { x +: false }
