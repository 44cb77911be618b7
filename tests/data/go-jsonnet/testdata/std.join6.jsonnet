std.join("xxx", ["aa", "bb"])
