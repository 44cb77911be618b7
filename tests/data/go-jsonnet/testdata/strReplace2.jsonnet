std.strReplace("test test test", "test", "__")
