local app = import 'lib/app.libsonnet';

app {
  service+: { replicas: 1, log_level: 'debug' },
}
