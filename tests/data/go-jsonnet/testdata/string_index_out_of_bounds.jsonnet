"abcd"[4]
