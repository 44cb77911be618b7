local base = import 'lib/base.libsonnet';
local flags = import 'amber/flags.libsonnet';

base {
  flags+: { new_scheduler: flags.boolean(rollout=120) },
}
