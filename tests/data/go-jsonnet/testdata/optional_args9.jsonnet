(function(x) x)(42, x=42)
