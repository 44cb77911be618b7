{x: 1, y: 2, z: 3} +
{[v]: [super.x, v] for v in ["x", "y", "z"] } +
{[v]: self.q + v for v in ["a", "b", "c"]} +
{q: 42}
