std.mod("abcd %s %03d", ["xxx", 42])
