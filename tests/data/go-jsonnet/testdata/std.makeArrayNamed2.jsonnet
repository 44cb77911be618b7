std.makeArray(func=function(i) i, sz=5)
