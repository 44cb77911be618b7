false || false
