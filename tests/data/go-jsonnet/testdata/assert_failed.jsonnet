assert false; true
