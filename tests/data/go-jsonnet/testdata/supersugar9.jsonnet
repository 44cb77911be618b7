local infloop() = infloop();
std.type({ assert infloop, x: 1 } { x +: 1 })
