std.length({x:: 42})
