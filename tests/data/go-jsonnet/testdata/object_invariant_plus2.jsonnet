{assert true} + {assert false}
