[error "xxx"][0]
