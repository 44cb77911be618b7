std.toString(a=42)
