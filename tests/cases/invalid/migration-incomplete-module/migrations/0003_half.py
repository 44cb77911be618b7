FROM = "1.2.0"
TO = "1.3"

def up(config):
    return config
