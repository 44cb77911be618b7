"abcd"[0]
