local secrets = import '../../outside.libsonnet';

secrets
