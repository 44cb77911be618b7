std.foldr(function(v, i) i + v, 'b', 'a')
