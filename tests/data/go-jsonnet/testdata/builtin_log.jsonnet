std.log(42)
