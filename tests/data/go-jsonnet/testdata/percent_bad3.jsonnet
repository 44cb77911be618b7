(function(x) x) % 42
