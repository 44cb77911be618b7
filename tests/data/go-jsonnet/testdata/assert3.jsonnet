assert 42 != 42; 42
