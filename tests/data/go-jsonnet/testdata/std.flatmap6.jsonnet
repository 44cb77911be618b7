std.flatMap(function(x) "\\"+x, "abc123")
