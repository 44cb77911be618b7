"""Compile environments: evaluate, validate, and (when asked) write artifacts."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from amber import artifact, canonical, evaluate, git, rules, schemas, validate, versions
from amber.errors import ConfigError, Diagnostic, UsageError
from amber.settings import Settings

_ENV_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def amber_version() -> str:
    try:
        return version("amber-config")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def discover(settings: Settings) -> dict[str, str]:
    """Environment name -> repo-relative entry file, sorted by name."""
    directory = settings.path(settings.environments)
    if not directory.is_dir():
        raise UsageError(f"no environments directory {settings.environments}/")
    found: dict[str, str] = {}
    for path in sorted(directory.glob("*.jsonnet")):
        name = path.stem
        if not _ENV_NAME.fullmatch(name):
            raise UsageError(
                f"environment name {name!r} must be letters, digits, '_', '.' and '-'",
                file=settings.rel(path),
            )
        found[name] = settings.rel(path)
    if not found:
        raise UsageError(f"no environments: add {settings.environments}/<name>.jsonnet")
    return found


def select(settings: Settings, names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """The named environments (all when ``names`` is empty); an unknown name is a usage error."""
    known = discover(settings)
    if not names:
        return known
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UsageError(f"unknown environment {', '.join(unknown)} (known: {', '.join(known)})")
    return {name: known[name] for name in names}


@dataclass
class Context:
    """What every environment of one build shares; loaded once per process."""

    settings: Settings
    schema: schemas.Schema
    rules: list[rules.Rule]
    rules_digest: str | None
    source: dict[str, Any] | None
    compiler: str

    @classmethod
    def load(cls, settings: Settings) -> Context:
        schema = schemas.load(settings, schemas.current_version(settings))
        rules_path = settings.path(settings.rules)
        found = rules.load(rules_path, settings.rel(rules_path))
        digest = canonical.sha256_tag(rules_path.read_bytes()) if rules_path.is_file() else None
        return cls(
            settings=settings,
            schema=schema,
            rules=found,
            rules_digest=digest,
            source=git.source(settings.root),
            compiler=f"amber-config {amber_version()}",
        )


@dataclass
class Result:
    env: str
    entry: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # File name -> artifact bytes; empty when the environment has errors.
    outputs: dict[str, bytes] = field(default_factory=dict)
    config: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)


def check_config(
    context: Context, env: str, entry: str, config: dict[str, Any], files: list[str]
) -> list[Diagnostic]:
    """Schema, secrets and rules of the current version, placed in the Jsonnet sources."""
    settings = context.settings
    problems = validate.schema_problems(config, context.schema)
    schema_valid = not problems
    problems += validate.secret_problems(config)
    problems += validate.flag_problems(config)
    fresh = json.loads(canonical.dump_bytes(config))  # rules may not touch the real config
    rule_problems = validate.rule_problems(
        context.rules, fresh, env, context.schema, settings.path(settings.rules)
    )
    # Rules assume the shape the schema promises: a rule that crashes on a config that fails
    # its schema says nothing new.  On a schema-valid config a crash is a bug in the rule.
    problems += [p for p in rule_problems if schema_valid or p.diagnostic is None]
    return validate.place(problems, env, entry, files, settings.root)


def provenance(context: Context, env: str, evaluation: evaluate.Evaluation) -> dict[str, Any]:
    settings = context.settings
    digest_parts = {
        "compiler": context.compiler,
        "environment": env,
        "inputs": evaluation.inputs,
        "rules": context.rules_digest,
        "schema": context.schema.digest,
        "settings": {k: v for k, v in settings.output_key().items() if k != "engine"},
    }
    record: dict[str, Any] = {
        "compiler": context.compiler,
        "inputs": dict(sorted(evaluation.inputs.items())),
        "inputs_digest": evaluate.inputs_digest(digest_parts),
        "schema": {"file": context.schema.file, "sha256": context.schema.digest},
    }
    if context.rules_digest is not None:
        record["rules"] = {"file": settings.rules, "sha256": context.rules_digest}
    if context.source is not None:
        record["git"] = context.source
    if "flags" in evaluation.value:
        # Which bucketing `fractional` uses decides who gets a rollout: recorded, so the
        # runtime evaluates what the repo chose and a switch shows up in review.
        record["flags"] = {"fractional": settings.fractional}
    moment = artifact.built_at()
    if moment is not None:
        record["built_at"] = moment
    return record


def compile_env(context: Context, env: str, entry: str) -> Result:
    """Evaluate and validate one environment; its artifact bytes when it is valid."""
    result = Result(env=env, entry=entry)
    try:
        evaluation = evaluate.evaluate(context.settings, env, entry)
        config_bytes = canonical.dump_bytes(evaluation.value)
    except ConfigError as exc:
        result.diagnostics = exc.problems
        return result
    except ValueError as exc:
        result.diagnostics = [Diagnostic(str(exc), file=entry, env=env, code="json")]
        return result
    config = json.loads(config_bytes)
    files = list(evaluation.inputs)
    result.diagnostics = check_config(context, env, entry, config, files)
    result.config = config
    if not result.ok:
        return result
    envelope = artifact.envelope(
        config, env, context.schema.version_text, provenance(context, env, evaluation)
    )
    result.outputs[artifact.file_name(env)] = artifact.to_bytes(envelope)
    return result


def run(
    settings: Settings, names: list[str] | tuple[str, ...] = (), out: Path | None = None
) -> list[Result]:
    """Compile the named environments (all by default); write artifacts when ``out`` is given.

    A failed environment writes nothing, so its previous artifact stays as it was.
    """
    selected = select(settings, names)
    context = Context.load(settings)
    results = [compile_env(context, env, entry) for env, entry in selected.items()]
    if out is not None:
        for result in results:
            for name, data in result.outputs.items():
                artifact.write(out / name, data)
    return results


def current_version_text(settings: Settings) -> str:
    return versions.text(schemas.current_version(settings))


def read_artifact(path: Path) -> dict[str, Any]:
    """A verified artifact as plain data (for show, diff and migrate)."""
    from amber.runtime import read_verified

    return read_verified(path)
