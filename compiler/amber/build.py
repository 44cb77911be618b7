"""Compile environments: evaluate, validate, and (when asked) write artifacts."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from amber import artifact, canonical, evaluate, git, migrate, rules, schemas, validate, versions
from amber.errors import ConfigError, Diagnostic, UsageError
from amber.paths import format_path
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
    # Other schema versions to write, each migrated from the current one.
    targets: list[versions.Version] = field(default_factory=list)
    migrations: list[migrate.Migration] = field(default_factory=list)
    _schemas: dict[versions.Version, schemas.Schema] = field(default_factory=dict)

    @classmethod
    def load(cls, settings: Settings, targets: list[str] | tuple[str, ...] = ()) -> Context:
        schema = schemas.load(settings, schemas.current_version(settings))
        rules_path = settings.path(settings.rules)
        found = rules.load(rules_path, settings.rel(rules_path))
        digest = canonical.sha256_tag(rules_path.read_bytes()) if rules_path.is_file() else None
        wanted = resolve_targets(settings, [*settings.publish_versions, *targets])
        wanted = [v for v in wanted if v != schema.version]
        migrations: list[migrate.Migration] = []
        if wanted:
            migrations, problems = migrate.load(settings)
            if problems:
                raise ConfigError(problems)
        return cls(
            settings=settings,
            schema=schema,
            rules=found,
            rules_digest=digest,
            source=git.source(settings.root),
            compiler=f"amber-config {amber_version()}",
            targets=wanted,
            migrations=migrations,
            _schemas={schema.version: schema},
        )

    def schema_at(self, version: versions.Version) -> schemas.Schema:
        if version not in self._schemas:
            self._schemas[version] = schemas.load(self.settings, version)
        return self._schemas[version]


def resolve_targets(settings: Settings, wanted: list[str]) -> list[versions.Version]:
    """Requested versions ("1.1" or "1.1.0") as schema versions, each once, oldest first."""
    known = schemas.schema_files(settings)
    found = []
    for text in wanted:
        try:
            version = versions.parse(text)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if version not in known:
            listed = ", ".join(versions.text(v) for v in sorted(known))
            raise UsageError(f"no schema version {text} (known: {listed})")
        found.append(version)
    return sorted(set(found))


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


def problems_at(
    context: Context, env: str, config: dict[str, Any], schema: schemas.Schema
) -> list[validate.Problem]:
    """Everything wrong with ``config`` as a config of ``schema``'s version."""
    settings = context.settings
    problems = validate.schema_problems(config, schema)
    schema_valid = not problems
    problems += validate.secret_problems(config)
    problems += validate.flag_problems(config)
    fresh = json.loads(canonical.dump_bytes(config))  # rules may not touch the real config
    rule_problems = validate.rule_problems(
        context.rules, fresh, env, schema, settings.path(settings.rules)
    )
    # Rules assume the shape the schema promises: a rule that crashes on a config that fails
    # its schema says nothing new.  On a schema-valid config a crash is a bug in the rule.
    problems += [p for p in rule_problems if schema_valid or p.diagnostic is None]
    return problems


def check_config(
    context: Context, env: str, entry: str, config: dict[str, Any], files: list[str]
) -> list[Diagnostic]:
    """Schema, secrets, flags and rules of the current version, placed in the sources."""
    problems = problems_at(context, env, config, context.schema)
    return validate.place(problems, env, entry, files, context.settings.root)


def provenance(
    context: Context,
    env: str,
    evaluation: evaluate.Evaluation,
    schema: schemas.Schema,
    config: dict[str, Any],
) -> dict[str, Any]:
    settings = context.settings
    digest_parts = {
        "compiler": context.compiler,
        "environment": env,
        "inputs": evaluation.inputs,
        "rules": context.rules_digest,
        "schema": schema.digest,
        "settings": {k: v for k, v in settings.output_key().items() if k != "engine"},
    }
    record: dict[str, Any] = {
        "compiler": context.compiler,
        "inputs": dict(sorted(evaluation.inputs.items())),
        "inputs_digest": evaluate.inputs_digest(digest_parts),
        "schema": {"file": schema.file, "sha256": schema.digest},
    }
    if context.rules_digest is not None:
        record["rules"] = {"file": settings.rules, "sha256": context.rules_digest}
    if context.source is not None:
        record["git"] = context.source
    if "flags" in config:
        # Which bucketing `fractional` uses decides who gets a rollout: recorded, so the
        # runtime evaluates what the repo chose and a switch shows up in review.
        record["flags"] = {"fractional": settings.fractional}
    moment = artifact.built_at()
    if moment is not None:
        record["built_at"] = moment
    return record


def migrate_to(
    context: Context, env: str, config: dict[str, Any], target: versions.Version
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """``config`` migrated to ``target``, validated after every step; or what went wrong."""
    current = config
    for step in migrate.plan(context.migrations, context.schema.version, target):
        try:
            current = migrate.apply(step, current)
        except ConfigError as exc:
            return None, [replace(d, env=env) for d in exc.problems]
        errors = [
            p
            for p in problems_at(context, env, current, context.schema_at(step.target))
            if p.severity == "error"
        ]
        if errors:
            return None, [
                Diagnostic(
                    f"after migration {step.describe()}: {p.message}",
                    file=step.migration.file,
                    env=env,
                    path=format_path(p.path),
                    code=p.code,
                )
                for p in errors
            ]
    return current, []


def compile_env(context: Context, env: str, entry: str) -> Result:
    """Evaluate and validate one environment; its artifacts when it is valid."""
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
    schema = context.schema
    current = artifact.envelope(
        config, env, schema.version_text, provenance(context, env, evaluation, schema, config)
    )
    result.outputs[artifact.file_name(env)] = artifact.to_bytes(current)
    for target in context.targets:
        migrated, problems = migrate_to(context, env, config, target)
        result.diagnostics += problems
        if migrated is None:
            continue
        at = context.schema_at(target)
        record = provenance(context, env, evaluation, at, migrated)
        record["migrated_from"] = {
            "content_hash": current["content_hash"],
            "schema_version": schema.version_text,
        }
        envelope = artifact.envelope(migrated, env, at.version_text, record)
        result.outputs[artifact.file_name(env, at.version_text)] = artifact.to_bytes(envelope)
    if not result.ok:
        result.outputs.clear()  # all of an environment's artifacts, or none
    return result


def migrate_artifact(settings: Settings, source: dict[str, Any], target_text: str) -> bytes:
    """A published artifact's config migrated to another version, as a new artifact."""
    (target,) = resolve_targets(settings, [target_text])
    context = Context.load(settings)
    context.migrations, problems = migrate.load(settings)
    if problems:
        raise ConfigError(problems)
    env = source["environment"]
    origin = versions.parse(source["schema_version"])
    config = source["config"]
    for step in migrate.plan(context.migrations, origin, target):
        config = migrate.apply(step, config)
        errors = [
            p
            for p in problems_at(context, env, config, context.schema_at(step.target))
            if p.severity == "error"
        ]
        if errors:
            raise ConfigError(
                [
                    Diagnostic(
                        f"after migration {step.describe()}: {p.message}",
                        file=step.migration.file,
                        env=env,
                        path=format_path(p.path),
                        code=p.code,
                    )
                    for p in errors
                ]
            )
    at = context.schema_at(target)
    kept = ("git", "inputs", "inputs_digest", "rules")
    record = {k: v for k, v in source["provenance"].items() if k in kept}
    record.update(
        {
            "compiler": context.compiler,
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


def check_repository(settings: Settings) -> list[Diagnostic]:
    """What `amber check` adds to a build: the migration chain and the version numbering."""
    migrations, problems = migrate.load(settings)
    found = sorted(schemas.schema_files(settings))
    problems += migrate.check_chain(migrations, found, settings.migrations)
    problems += migrate.check_versions(settings)
    return problems


def run(
    settings: Settings,
    names: list[str] | tuple[str, ...] = (),
    out: Path | None = None,
    targets: list[str] | tuple[str, ...] = (),
) -> list[Result]:
    """Compile the named environments (all by default); write artifacts when ``out`` is given.

    ``targets`` are other schema versions to write too (``dist/<env>@<version>.json``).
    A failed environment writes nothing, so its previous artifacts stay as they were.
    """
    selected = select(settings, names)
    context = Context.load(settings, targets)
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
