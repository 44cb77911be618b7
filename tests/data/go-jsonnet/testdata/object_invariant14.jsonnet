{ assert false: "xxx" }
