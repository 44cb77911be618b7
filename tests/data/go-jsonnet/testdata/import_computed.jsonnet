import "a" + "b"
