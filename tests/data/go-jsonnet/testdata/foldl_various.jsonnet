std.foldl(function(i, v) i + std.toString(v), ['a', 2, [1, 2, 3], { foo: 'bar' }], '')
