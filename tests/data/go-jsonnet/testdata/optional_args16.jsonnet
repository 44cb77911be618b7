(function(x=17) x)(42)
