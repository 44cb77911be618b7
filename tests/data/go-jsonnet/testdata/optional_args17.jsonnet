(function(x, y=42) x + y)(y=1, x=2)
