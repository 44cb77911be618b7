42 / "xxx"
