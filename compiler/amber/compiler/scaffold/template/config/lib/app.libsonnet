// Defaults shared by every environment. An environment overrides only what differs.
local flags = import 'amber/flags.libsonnet';

{
  environment: std.extVar('env'),
  service: {
    name: 'my-service',
    replicas: 2,
    log_level: 'info',
  },
  http: {
    timeout_seconds: 10,
    retries: 2,
  },
  database: {
    url: { '$secret': 'env:DATABASE_URL' },
    pool_size: 5,
  },
  flags: {
    new_checkout: flags.boolean(enabled=true, allow=['qa@example.com'], rollout=0),
  },
}
