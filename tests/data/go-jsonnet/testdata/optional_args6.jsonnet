local foo(x, y=x) = y;
foo(x=42)
