std.native("nativeError")()
