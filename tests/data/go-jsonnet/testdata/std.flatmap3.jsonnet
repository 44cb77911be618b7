std.flatMap(function(x) error "never happens", [])
