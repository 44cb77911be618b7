[[x, y] for x in [1,2,3,4,5] if y == 3 for y in [1,2,3,4,5]]
