(function(x) x)(error "x", error "y")
