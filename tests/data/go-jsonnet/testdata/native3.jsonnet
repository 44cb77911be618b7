std.native("jsonToString")({"x": {"y": "z"}, "xx": 42})
