"xxx" + (function() 42)
