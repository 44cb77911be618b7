local obj = { foo(x): error x }; obj.foo("xxx")



