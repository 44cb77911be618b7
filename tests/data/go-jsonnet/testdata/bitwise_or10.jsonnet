"xxx" | 42
