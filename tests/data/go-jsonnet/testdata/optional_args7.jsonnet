local foo(x) = x;
foo(x=42)
