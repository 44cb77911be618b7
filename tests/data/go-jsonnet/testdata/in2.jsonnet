"x" in { }
