{ assert true }
