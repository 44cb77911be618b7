std.log(std.exp(100))
