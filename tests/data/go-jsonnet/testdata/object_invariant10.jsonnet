{ assert true, assert false }
