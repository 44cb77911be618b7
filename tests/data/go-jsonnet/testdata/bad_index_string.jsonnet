"xxx"["xxx"]
