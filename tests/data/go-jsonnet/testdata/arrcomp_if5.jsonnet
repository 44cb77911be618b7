[x for x in [] if error "x"]
