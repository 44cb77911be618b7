std.objectFieldsEx({}, "xxx")
