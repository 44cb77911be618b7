local x = std.length("x"); x
