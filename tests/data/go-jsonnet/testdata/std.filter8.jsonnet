std.filter([42], function(i) "xxx")
