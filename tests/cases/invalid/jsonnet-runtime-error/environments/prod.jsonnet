local base = import 'lib/base.libsonnet';

base {
  spaced_repetition+: { batch_size: std.parseInt('five hundred') },
}
