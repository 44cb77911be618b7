assert true; true
