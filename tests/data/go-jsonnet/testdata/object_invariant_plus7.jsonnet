({x: 1} {x: 2, assert 1 == super.x}) +
({x: 3, assert 2 == super.x} {x: 4, assert 3 == super.x})
