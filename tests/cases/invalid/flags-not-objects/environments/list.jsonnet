{
  flags: ['beta'],
}
