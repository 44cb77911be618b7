local base = import 'lib/base.libsonnet';

base {
  assert self.interleaving.max_session_size < 30 : 'prod sessions must stay short',
}
