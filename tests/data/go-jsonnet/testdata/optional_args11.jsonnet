(function(x, y) 42)(42, x=42)
