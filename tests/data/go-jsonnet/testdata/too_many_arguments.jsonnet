(function(x, y, z) 42)(1, 2, 3, 4)
