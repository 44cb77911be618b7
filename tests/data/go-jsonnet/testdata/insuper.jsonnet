{ x: 42 } { assert "x" in super }
