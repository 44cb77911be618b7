std.native("jsonToString")(function() 42)
