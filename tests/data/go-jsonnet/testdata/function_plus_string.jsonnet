(function() 42) + "xxx"
