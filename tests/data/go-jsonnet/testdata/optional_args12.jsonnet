(function(x=42, y=42) 42)(y=42)
