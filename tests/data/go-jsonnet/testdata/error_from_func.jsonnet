local foo = function(x) error x; foo("xxx")
