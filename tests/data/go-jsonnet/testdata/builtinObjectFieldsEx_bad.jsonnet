std.objectFieldsEx(42, true)
