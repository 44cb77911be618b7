local foo(x, y=x) = y;
foo(42)
