"aa" < "a"
