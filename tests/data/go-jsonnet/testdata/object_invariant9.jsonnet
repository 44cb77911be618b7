{ assert true, assert false } 
