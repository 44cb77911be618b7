(function(x, y) x)(y=1, x=2)
