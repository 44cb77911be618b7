false || "xxx"
