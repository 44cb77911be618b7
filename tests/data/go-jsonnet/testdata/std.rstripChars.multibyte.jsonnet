std.rstripChars('• foo\n', '\n')
