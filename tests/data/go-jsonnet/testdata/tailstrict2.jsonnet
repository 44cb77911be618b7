local e(x)=(error x);
(function(x) e(x))("xxx") tailstrict
