({ } { x +: function(x) x }).x(42)
