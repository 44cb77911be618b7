{ [x]: 42 for x in ["a", "b", "bb", "c"] if x[0] == "b" }
