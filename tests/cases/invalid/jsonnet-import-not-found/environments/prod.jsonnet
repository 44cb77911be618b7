local base = import 'lib/bass.libsonnet';

base
