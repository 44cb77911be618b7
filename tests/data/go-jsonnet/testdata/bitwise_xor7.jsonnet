1 ^ error "x"
