std.join("aa", [[1], [2]])
