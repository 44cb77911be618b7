{ [x]: error "xxx" for x in [] }
