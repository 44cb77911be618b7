std.native("jsonToString")({})
