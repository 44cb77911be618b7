std.native("jsonToString")("test")
