whatever(1, 2, 3
