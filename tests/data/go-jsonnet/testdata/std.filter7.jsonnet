std.filter(function(n) false, [error "xxx"])
