{ local x = 5 for y in [1, 2, 3] }
