std.makeArray(3, func=function(i) i)
