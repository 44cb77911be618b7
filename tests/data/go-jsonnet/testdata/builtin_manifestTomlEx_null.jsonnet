{
  'null': std.manifestTomlEx(null, '   '),
}
