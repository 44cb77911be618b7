{assert true} + {assert true}
