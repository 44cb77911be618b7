local x = local y = error "xxx"; y; x
