local foo(x=2, z=x) = x;
foo()
