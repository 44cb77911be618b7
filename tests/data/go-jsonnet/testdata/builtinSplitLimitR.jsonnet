std.splitLimitR('foo,bar,baz,qux', ',', 2)
