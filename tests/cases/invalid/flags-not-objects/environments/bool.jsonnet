{
  flags: { beta: true },
}
