{ [x]: 42 for x in ["a", "b", "c"] }
