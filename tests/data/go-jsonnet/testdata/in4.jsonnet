"x" in { assert false }
