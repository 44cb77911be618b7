"abcd"[-1]
