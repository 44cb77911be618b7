{
  mode: 'loose',
  contact: 'not-an-email',
  step: 0.3,
  name: 'ab',
  port: 80,
  tags: {},
  retry: { count: 3 },
}
