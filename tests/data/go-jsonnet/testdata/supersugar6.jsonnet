{ x: "hello, " } { x +: "world" }
