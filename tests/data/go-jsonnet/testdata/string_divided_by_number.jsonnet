"xxx" / 42
