{ g: 42, f(a=self.g): a }.f()
