{ assert self.x == 5, ["x"]: 5 for i in [42] }
