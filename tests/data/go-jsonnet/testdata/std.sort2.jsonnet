[
    std.sort([1,2,3], keyF=(function(x) -x)),
    std.sort([1,2,3], function(x) -x),
]
