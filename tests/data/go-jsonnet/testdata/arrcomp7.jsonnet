[[a1, a2, a3, a4, a5, a6, a7, a8]
    for a1 in [1, 2]
    for a2 in [3, 4]
    for a3 in [5, 6]
    for a4 in [7, 8]
    for a5 in [9, 10]
    for a6 in [11, 12]
    for a7 in [13, 14]
        if a7 % 2 == 1
        if a4 % 2 == 0
        if a2 % 2 == 0
        if a1 % 2 == 1
    for a8 in [15, 16]
]
