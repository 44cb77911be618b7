std.type(function() {})
