{assert self.x == 5, x: 5}
