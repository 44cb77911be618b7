"""What a build needs to know before compiling anything: versions, digests, the source commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from amber import canonical, versions
from amber.compiler import artifact, bundler, git
from amber.compiler.checks import rules, schemas
from amber.compiler.settings import DEFAULT_RULES, Settings
from amber.errors import UsageError


def amber_version() -> str:
    try:
        return version("amber-config")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


@cache
def version_of(package: str) -> str:
    """``"jsonschema 4.23.0"``: a package's version, as recorded in cache keys."""
    try:
        return f"{package} {version(package)}"
    except PackageNotFoundError:
        return f"{package} (not installed)"


def engine_version(engine: str) -> str:
    return version_of("gojsonnet" if engine == "go" else "rjsonnet")


def resolve_targets(settings: Settings, wanted: list[str]) -> list[versions.Version]:
    """Requested versions ("1.1" or "1.1.0") as schema versions, each once, oldest first."""
    known = schemas.schema_files(settings)
    found = []
    for text in wanted:
        try:
            parsed = versions.parse(text)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if parsed not in known:
            listed = ", ".join(versions.text(v) for v in sorted(known))
            raise UsageError(f"no schema version {text} (known: {listed})")
        found.append(parsed)
    return sorted(set(found))


@dataclass
class Facts:
    """What a build needs to know without compiling anything: cheap to gather."""

    settings: Settings
    compiler: str
    current: versions.Version
    targets: list[versions.Version]
    schema_files: dict[versions.Version, tuple[str, str]]  # version -> (file, digest)
    rules_digest: str | None
    migrations_digest: str | None
    source: dict[str, Any] | None = None
    # jsonnet-bundler's locked libraries (source, version), and a digest of the lock files.
    dependencies: list[dict[str, str]] = field(default_factory=list)
    locks_digest: str | None = None

    @classmethod
    def gather(cls, settings: Settings, targets: list[str] | tuple[str, ...] = ()) -> Facts:
        files = schemas.schema_files(settings)
        current = max(files)
        wanted = resolve_targets(settings, [*settings.publish_versions, *targets])
        wanted = [v for v in wanted if v != current]
        rules_path = _rules_path(settings)
        artifact.built_at()  # a malformed SOURCE_DATE_EPOCH fails before anything is compiled
        dependencies, locks_digest = bundler.dependencies(settings)
        return cls(
            settings=settings,
            compiler=f"amber-config {amber_version()}",
            current=current,
            targets=wanted,
            schema_files={
                v: (settings.rel(files[v]), canonical.sha256_tag(files[v].read_bytes()))
                for v in [current, *wanted]
            },
            rules_digest=rules.digest(rules_path),
            migrations_digest=_migrations_digest(settings) if wanted else None,
            source=git.source(settings.root, (settings.path(settings.out),)),
            dependencies=dependencies,
            locks_digest=locks_digest,
        )

    def schema_record(self, at: versions.Version) -> dict[str, str]:
        file, digest = self.schema_files[at]
        return {"file": file, "sha256": digest}


def _rules_path(settings: Settings) -> Path:
    rules_path = settings.path(settings.rules)
    if rules_path.exists() and not rules_path.is_file():
        raise UsageError(
            f"the rules setting names {settings.rules}, which is not a file",
            file=settings.source,
        )
    if not rules_path.exists() and settings.rules != DEFAULT_RULES:
        # Without this, a typo in the setting would switch every rule off in silence.
        raise UsageError(
            f"rules file {settings.rules} not found (the rules setting)", file=settings.source
        )
    return rules_path


def _migrations_digest(settings: Settings) -> str:
    directory = settings.path(settings.migrations)
    listing = (
        {
            settings.rel(p): canonical.sha256_tag(p.read_bytes())
            for p in sorted(directory.glob("*.py"))
        }
        if directory.is_dir()
        else {}
    )
    return canonical.content_hash(listing)
