"""``amber types``: a Python module of typed config for one schema version, and its flags.

The classes come from the version's JSON Schema (``schema``), the flag accessors from the
compiled environments (``flags``), the text from ``render``.  ``stale`` regenerates a checked-in
module with the options recorded in its header and says whether it still matches.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from amber import versions
from amber.compiler.build.facts import resolve_targets
from amber.compiler.build.pipeline import build
from amber.compiler.checks import schemas
from amber.compiler.settings import Settings
from amber.compiler.typed.flags import FlagSpec, flag_specs
from amber.compiler.typed.names import MODULE_NAMES, class_name
from amber.compiler.typed.render import HEADER_MARK, render
from amber.compiler.typed.schema import SchemaTypes
from amber.errors import ConfigError, UsageError

DEFAULT_NAME = "AppConfig"


def generate(settings: Settings, version: str | None = None, name: str = DEFAULT_NAME) -> str:
    """The module's text for ``version`` (the newest schema by default)."""
    if class_name(name) != name:
        raise UsageError(f"--name {name!r} is not a class name (try {class_name(name)!r})")
    if name in MODULE_NAMES:
        raise UsageError(f"--name {name!r} is a name the module uses itself; choose another")
    known = sorted(schemas.schema_files(settings))
    if not known:
        raise UsageError(f"no schemas in {settings.schemas}/ to generate types from")
    target = resolve_targets(settings, [version])[0] if version else known[-1]
    schema = schemas.load(settings, target)
    flags: list[FlagSpec] = []
    environments: list[str] = []
    if _mentions_flags(schema.document):
        flags, environments = compiled_flags(settings)
    if environments:
        sources = f"{schema.file} and the flags of {', '.join(environments)}"
    else:
        sources = schema.file
    pinned = versions.text(target) if version else None
    return module_text(schema.document, versions.text(target), name, flags, sources, pinned)


def _mentions_flags(document: dict[str, object]) -> bool:
    properties = document.get("properties")
    return isinstance(properties, dict) and "flags" in properties


def module_text(
    document: dict[str, object],
    version: str,
    name: str = DEFAULT_NAME,
    flags: list[FlagSpec] | None = None,
    sources: str = "",
    pinned: str | None = None,
) -> str:
    """The module for one schema document (and the flags found in its environments).
    ``pinned``: the version asked for; unpinned, ``--check`` follows the newest schema."""
    walker = SchemaTypes(document, name)
    walker.root()
    typed_flags = [
        (spec, walker.alias(sorted(spec.values), f"{class_name(spec.key)}Flag"))
        if spec.kind == "string" and spec.values
        else (spec, spec.annotation)
        for spec in flags or []
    ]
    return render(
        list(walker.classes.values()),
        walker.aliases,
        walker.helpers,
        name,
        typed_flags,
        walker.has_flags,
        version=version,
        expect=versions.major_minor(version),
        command=f"amber types {f'--version {pinned} ' if pinned else ''}--name {name}",
        sources=sources or "its JSON Schema",
    )


def compiled_flags(settings: Settings) -> tuple[list[FlagSpec], list[str]]:
    """Every environment's flags, compiled (from the cache where it can)."""
    results = build(settings)
    broken = [d for r in results for d in r.diagnostics if d.severity == "error"]
    if broken:
        raise ConfigError(broken)
    configs = {r.env: r.config for r in results if r.config is not None}
    specs, problems = flag_specs(configs)
    if problems:
        raise ConfigError(problems)
    return specs, sorted(configs)


def stale(settings: Settings, path: Path) -> str | None:
    """Why the module at ``path`` no longer matches what ``amber types`` writes, or None."""
    try:
        current = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the module: {exc}", file=str(path)) from None
    header = next((line for line in current.splitlines() if line.startswith(HEADER_MARK)), None)
    if header is None:
        raise UsageError(
            f"not a module `amber types` wrote (no {HEADER_MARK!r} line)", file=str(path)
        )
    try:
        args = shlex.split(header[len(HEADER_MARK) :])[2:]
    except ValueError:
        raise UsageError(
            f"not a module `amber types` wrote (its {HEADER_MARK!r} line does not parse)",
            file=str(path),
        ) from None
    options = dict(zip(args[::2], args[1::2], strict=False))
    fresh = generate(settings, options.get("--version"), options.get("--name", DEFAULT_NAME))
    if fresh == current:
        return None
    old, new = current.splitlines(), fresh.splitlines()
    differs = (i for i, (a, b) in enumerate(zip(old, new, strict=False), 1) if a != b)
    line = next(differs, min(len(old), len(new)) + 1)
    return (
        f"out of date with the schema and the compiled flags (first difference at line {line}); "
        f"regenerate with `amber types -o {path}`"
    )
