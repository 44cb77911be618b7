
[[x, y, z] for x in [1] for y in [2] for z in [3]]
