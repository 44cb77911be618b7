[a for a in {}]
