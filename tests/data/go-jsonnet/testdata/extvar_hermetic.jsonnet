local x = 42; std.extVar("UndeclaredX")
