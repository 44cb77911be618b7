local tolerance = (import 'tolerance.libsonnet').tolerance;
tolerance(std.atan(1))
