"abcd"[3]
