std.native("jsonToString")(y={})
