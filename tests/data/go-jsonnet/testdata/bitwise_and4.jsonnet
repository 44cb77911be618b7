1 & error "x"
