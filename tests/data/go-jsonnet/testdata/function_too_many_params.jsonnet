function(x) 3
