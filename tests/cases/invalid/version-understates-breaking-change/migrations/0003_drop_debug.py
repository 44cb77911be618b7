"""A test migration."""

FROM = "1.2.0"
TO = "1.3.0"
DROPS = ()


def up(config):
    return dict(config)


def down(config):
    return dict(config)
