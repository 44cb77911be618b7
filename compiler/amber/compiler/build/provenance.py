"""Provenance: what an artifact records of how it was made, and the artifacts assembled with it."""

from __future__ import annotations

from typing import Any

from amber import versions
from amber.canonical import content_hash, sha256_tag
from amber.compiler import artifact
from amber.compiler.arguments import for_environment
from amber.compiler.build.compiled import Compiled, Result
from amber.compiler.build.facts import Facts


def provenance(
    facts: Facts, compiled: Compiled, at: versions.Version, has_flags: bool
) -> dict[str, Any]:
    settings = facts.settings
    schema = facts.schema_record(at)
    digest_parts = {
        "compiler": facts.compiler,
        "environment": compiled.env,
        "inputs": compiled.inputs,
        "rules": facts.rules_digest,
        "schema": schema["sha256"],
        "settings": {k: v for k, v in settings.output_key().items() if k != "engine"},
    }
    arguments = for_environment(settings, compiled.env).to_json()
    if arguments:  # an environment evaluated with arguments records them (and digests them)
        digest_parts["arguments"] = arguments
    record: dict[str, Any] = {
        "compiler": facts.compiler,
        "inputs": dict(sorted(compiled.inputs.items())),
        "inputs_digest": content_hash(digest_parts),
        "schema": schema,
    }
    if arguments:
        record["arguments"] = arguments
    if facts.dependencies:
        record["dependencies"] = facts.dependencies
    if facts.rules_digest is not None:
        record["rules"] = {"file": settings.rules, "sha256": facts.rules_digest}
    if facts.source is not None:
        record["git"] = facts.source
    if has_flags:
        # Which bucketing `fractional` uses decides who gets a rollout: recorded, so the
        # runtime evaluates what the repo chose and a switch shows up in review.
        record["flags"] = {"fractional": settings.fractional}
    moment = artifact.built_at()
    if moment is not None:
        record["built_at"] = moment
    return record


def assemble(facts: Facts, compiled: Compiled) -> Result:
    """The artifacts of a compiled environment: all of them, or none if anything failed."""
    result = Result(
        env=compiled.env,
        entry=compiled.entry,
        diagnostics=list(compiled.diagnostics),
        compiled=compiled,
    )
    if compiled.ok and "" in compiled.texts:
        current_hash = sha256_tag(compiled.texts[""].encode("utf-8"))
        for key in compiled.texts:  # the current version first
            name = artifact.file_name(compiled.env, key or None)
            result.outputs[name] = _artifact(facts, compiled, key, current_hash)
    return result


def _artifact(facts: Facts, compiled: Compiled, key: str, current_hash: str) -> bytes:
    """The artifact of one version ("" the current one; others record what they came from)."""
    at = facts.current if key == "" else versions.parse(key)
    spans = compiled.spans[key]
    record = provenance(facts, compiled, at, "flags" in spans)
    if key:
        record["migrated_from"] = {
            "content_hash": current_hash,
            "schema_version": versions.text(facts.current),
        }
    config_bytes = compiled.texts[key].encode("utf-8")
    return artifact.assemble(
        config_bytes, spans, compiled.env, versions.text(at), record, compiled.secrets[key]
    )
