{ x: 42 for _ in [1] }
