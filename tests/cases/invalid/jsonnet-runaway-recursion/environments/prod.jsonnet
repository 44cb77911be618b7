local depth(n) = depth(n + 1) + 1;

{ level: depth(0) }
