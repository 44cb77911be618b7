std.foldr(function(v, i) i + v + v, 'bcd', 'a')
