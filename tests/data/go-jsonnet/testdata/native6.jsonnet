std.native("jsonToString")(x={})
