std.sqrt("cookie")
