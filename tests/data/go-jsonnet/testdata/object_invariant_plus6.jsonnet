{ assert false: "xxx" } { assert false: "yyy" }
