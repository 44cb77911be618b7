assert false : "Custom Message"; true
