std.makeArray(blahblah=5, blahblahblah=function(i) i)
