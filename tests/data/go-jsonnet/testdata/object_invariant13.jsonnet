{ assert error "x" }
