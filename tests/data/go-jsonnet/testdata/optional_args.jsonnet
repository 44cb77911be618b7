local foo(x=42) = x; foo()
