true || error "xxx"
