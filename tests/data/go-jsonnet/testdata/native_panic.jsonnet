std.native("nativePanic")()
