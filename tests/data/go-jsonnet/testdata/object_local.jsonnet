{ local foo(bar) = bar, baz: foo(42) }

