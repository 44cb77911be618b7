local app = import 'lib/app.libsonnet';

app {
  service+: { replicas: 6 },
  database+: { pool_size: 20 },
}
