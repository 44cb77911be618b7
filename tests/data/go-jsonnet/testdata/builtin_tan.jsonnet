local tolerance = (import 'tolerance.libsonnet').tolerance;
tolerance(std.tan(1))
