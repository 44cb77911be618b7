[[var, var2] for var in [1, 2, 3] for var2 in ["a", "b", "c"]]

