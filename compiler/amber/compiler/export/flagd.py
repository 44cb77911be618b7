"""An artifact's flags as a flagd flag-definition file, which flagd and every OpenFeature flagd
provider (in-process or file) load as they are.

The file is valid against flagd's published schema (``$schema`` set), and its top-level
``metadata`` names the environment, schema version, content hash and bucketing generation.
It carries exactly the bucketing the artifact pins: flagd's ``fractional`` comes in two
generations that put users in different buckets, so a file is written only for consumers of
the artifact's generation (v2: the flagd daemon 0.15 and later and its Go, Java and JavaScript
providers; v3: flagd's conformance suite and openfeature-flagd-core 2 for Python), or for any
consumer when no flag uses ``fractional``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from amber.compiler.checks import flagd_schema
from amber.errors import ConfigError, Diagnostic, UsageError
from amber.jsonpath import format_path

SCHEMA = "https://flagd.dev/schema/v0/flags.json"
# The generation the flagd daemon (0.15 and later) buckets with: who reads a flag file.
FLAGD_BUCKETING = "v2"
_FLAG_KEYS = ("state", "variants", "defaultVariant", "targeting", "metadata")


def flagd_document(
    artifact: Mapping[str, Any], consumer: str = FLAGD_BUCKETING, source: str = ""
) -> dict[str, Any]:
    """The flag-definition document of a verified artifact (plain data); ``source`` names the
    artifact in errors."""
    config = artifact["config"]
    flags = config.get("flags", {}) if isinstance(config, Mapping) else {}
    generation = str(artifact["provenance"].get("flags", {}).get("fractional", "v3"))
    env = artifact["environment"]
    _check_bucketing(env, flags, generation, consumer)
    exported = {key: _flag(flag) for key, flag in sorted(flags.items())}
    refused = [
        Diagnostic(
            f"refusing to export: {message}",
            file=source,
            env=env,
            path=format_path(path),
            code="flagd",
        )
        for path, message in flagd_schema.problems(exported)
    ]
    if refused:
        raise ConfigError(refused, exit_code=1)
    return {
        "$schema": SCHEMA,
        "flags": exported,
        "metadata": {
            "flagSetId": artifact["environment"],
            "version": artifact["content_hash"],
            "amber.environment": artifact["environment"],
            "amber.schemaVersion": artifact["schema_version"],
            "amber.contentHash": artifact["content_hash"],
            "amber.fractional": generation,
        },
    }


def flagd_bytes(
    artifact: Mapping[str, Any], consumer: str = FLAGD_BUCKETING, source: str = ""
) -> bytes:
    """The document as stable, readable bytes: the same artifact gives the same file."""
    document = flagd_document(artifact, consumer, source)
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _flag(flag: Mapping[str, Any]) -> dict[str, Any]:
    out = {key: flag[key] for key in _FLAG_KEYS if key in flag}
    if not out.get("metadata"):
        out.pop("metadata", None)  # flagd takes no empty metadata either way; leave it out
    return out


def _check_bucketing(env: str, flags: Mapping[str, Any], generation: str, consumer: str) -> None:
    users = [key for key, flag in sorted(flags.items()) if _uses_fractional(flag)]
    if generation == consumer or not users:
        return
    raise UsageError(
        f"refusing to export: {env}'s flags ({', '.join(users)}) bucket users with fractional "
        f"{generation} and the file is for flagd {consumer} consumers, which would put users in "
        f"other buckets. {_ADVICE[consumer]}"
    )


_ADVICE = {
    "v2": 'Build with fractional = "v2" to share these flags with the flagd daemon and its Go, '
    "Java and JavaScript providers (a re-bucketing your review sees), or pass "
    "--flagd-bucketing v3 if every consumer buckets as flagd's v3 (openfeature-flagd-core 2).",
    "v3": 'Build with fractional = "v3", or export with --flagd-bucketing v2 for the flagd '
    "daemon and its providers.",
}


def _uses_fractional(flag: Any) -> bool:
    return isinstance(flag, Mapping) and any(
        op == "fractional" for op in _operators(flag.get("targeting"))
    )


def _operators(rule: Any) -> Iterator[str]:
    if isinstance(rule, (list, tuple)):
        for item in rule:
            yield from _operators(item)
    elif isinstance(rule, Mapping) and len(rule) == 1:
        ((op, args),) = rule.items()
        yield op
        yield from _operators(args)
