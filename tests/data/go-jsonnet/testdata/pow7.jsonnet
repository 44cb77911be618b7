// slightly more than the largest possible double
std.pow(1.1, 7447.082)
