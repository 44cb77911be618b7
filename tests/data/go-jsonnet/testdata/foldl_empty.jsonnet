std.foldl(function(i, v) i + v, [], null)
