{ x: 5, assert self.x == 4 }
