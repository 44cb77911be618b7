importbin "a" + "b"
