[import 'lib/base.libsonnet']
