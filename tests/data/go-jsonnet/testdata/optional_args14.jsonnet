(function(a=b, b=a) 42)()
