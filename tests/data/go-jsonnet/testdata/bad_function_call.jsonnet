(function(x) x)()
