local arr = [0] + std.makeArray(2000, function(i) arr[i] + 1); arr
