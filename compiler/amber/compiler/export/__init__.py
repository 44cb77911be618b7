"""``amber export``: an artifact in another system's format (a Kubernetes ConfigMap, a flagd
flag-definition file)."""
