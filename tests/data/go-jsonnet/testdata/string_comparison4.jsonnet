"a" < "aa"
