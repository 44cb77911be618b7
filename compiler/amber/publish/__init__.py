"""Publishing artifacts: a directory store or an OCI registry, one destination type for both."""
