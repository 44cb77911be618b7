"""A test migration."""

FROM = "1.2.0"
TO = "1.2.1"
DROPS = ()


def up(config):
    return dict(config)


def down(config):
    return dict(config)
