{ local foo(bar) = error bar, baz: foo("xxx") }
