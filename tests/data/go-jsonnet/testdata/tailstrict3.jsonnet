local foo(x, y=error "xxx")=x;
foo(42) tailstrict
