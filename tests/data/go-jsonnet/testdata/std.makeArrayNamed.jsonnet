std.makeArray(sz=5, func=function(i) i)
