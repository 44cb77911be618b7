(function() 42) +  42
