"""The build: facts, the cache, compiling in processes of their own, provenance, artifacts."""
