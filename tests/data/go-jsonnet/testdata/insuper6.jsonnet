{ assert undeclared in super }
