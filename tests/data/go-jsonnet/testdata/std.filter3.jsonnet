std.filter(function(n) error "xxx", [])
