std.strReplace("test", "", "blah")
