"xxx" || true
