(function(x, y) 42)(x=42)
