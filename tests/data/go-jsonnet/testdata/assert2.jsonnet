assert 42 == 42; true
