std.objectHasEx({x: 1, y:: 1, z::: 2}, "x", false)
