~"xxx"
