std.foldr(function(v, i) i + std.toString(v), ['a', 2, [1, 2, 3], { foo: 'bar' }], '')
