std.foldr(function(i, v) i + v, [], null)
