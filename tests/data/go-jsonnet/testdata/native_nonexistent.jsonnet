std.native("blah")
