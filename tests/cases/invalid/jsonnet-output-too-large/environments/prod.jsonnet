local base = import 'lib/base.libsonnet';

base {
  padding:: std.repeat('x', 10000),
  flags+: { ai_hints+: { metadata+: { note: $.padding } } },
}
