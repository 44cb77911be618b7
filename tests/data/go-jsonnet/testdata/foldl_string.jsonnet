std.foldl(function(i, v) i + v + v, 'bcd', 'a')
