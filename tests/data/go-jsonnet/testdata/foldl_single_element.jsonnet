std.foldl(function(i, v) i + v, 'b', 'a')
