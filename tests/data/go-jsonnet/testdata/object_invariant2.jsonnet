{ assert false }
