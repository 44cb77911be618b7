false || error "xxx"
