"""Schema versions: migrations, the migration chain, and the breaking-change guard."""
