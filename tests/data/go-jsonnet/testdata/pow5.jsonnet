local tolerance = (import 'tolerance.libsonnet').tolerance;
tolerance(std.pow(2, 0.2))
