local foo(x=1, y) = [x,y]; foo(y=2)
