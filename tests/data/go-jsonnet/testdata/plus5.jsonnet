42 + function() 42
