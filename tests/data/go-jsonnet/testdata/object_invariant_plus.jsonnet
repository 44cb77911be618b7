{assert false} + {assert true}
