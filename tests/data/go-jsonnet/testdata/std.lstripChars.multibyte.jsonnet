std.lstripChars('• foo', '• ')
