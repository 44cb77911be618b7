{ assert false }.x
