"x" in super
