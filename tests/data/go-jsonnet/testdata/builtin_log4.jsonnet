std.log(3.14)
