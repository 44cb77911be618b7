importstr "a" + "b"
