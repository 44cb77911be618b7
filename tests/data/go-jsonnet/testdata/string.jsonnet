"xxx"
