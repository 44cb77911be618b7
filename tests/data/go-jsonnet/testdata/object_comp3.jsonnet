{[v]: v for v in ["x", "y", "z"] }
