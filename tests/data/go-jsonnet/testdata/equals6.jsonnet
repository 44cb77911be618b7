local data = {[std.toString(x)]: 1 for x in std.range(1, 100)};
data == data
