"""``amber migrate``: a published artifact moved up or down the chain, as a new artifact."""

from __future__ import annotations

from typing import Any

from amber import versions
from amber.compiler import artifact
from amber.compiler.build.compile import migrate_to
from amber.compiler.build.context import Context
from amber.compiler.build.facts import Facts, resolve_targets
from amber.compiler.settings import Settings
from amber.compiler.versioning import migrations as migrate
from amber.errors import ConfigError


def migrate_artifact(settings: Settings, source: dict[str, Any], target_text: str) -> bytes:
    """A published artifact's config migrated to another version, as a new artifact."""
    (target,) = resolve_targets(settings, [target_text])
    facts = Facts.gather(settings)
    context = Context.load(facts)
    context.migrations, problems = migrate.load(settings)
    if problems:
        raise ConfigError(problems)
    env = source["environment"]
    config, errors = migrate_to(
        context, env, source["config"], versions.parse(source["schema_version"]), target
    )
    if config is None:
        raise ConfigError(errors)
    at = context.schema_at(target)
    kept = ("git", "inputs", "inputs_digest", "rules")
    record = {k: v for k, v in source["provenance"].items() if k in kept}
    record.update(
        {
            "compiler": facts.compiler,
            "schema": {"file": at.file, "sha256": at.digest},
            "migrated_from": {
                "content_hash": source["content_hash"],
                "schema_version": source["schema_version"],
            },
        }
    )
    if "flags" in config:
        record["flags"] = source["provenance"].get("flags", {"fractional": settings.fractional})
    moment = artifact.built_at()
    if moment is not None:
        record["built_at"] = moment
    return artifact.to_bytes(artifact.envelope(config, env, at.version_text, record))
