local base = import 'lib/base.libsonnet';

base {
  debug: false
  batch: 1,
}
