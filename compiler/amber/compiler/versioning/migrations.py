"""Migrations: plain modules in ``migrations/``, one linear chain of pure up/down steps.

A migration module says what it changes in its docstring and defines::

    FROM = "1.1.0"
    TO = "1.2.0"
    DROPS = ("flags",)       # what down() loses; () when down is lossless
    def up(config: dict) -> dict: ...
    def down(config: dict) -> dict: ...

No registry: every ``*.py`` in the directory is a migration.  Running one checks purity: each
step gets a private copy of the config and must leave it untouched.  The chain itself is
checked in ``chain``.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from amber import canonical, versions
from amber.compiler.settings import Settings
from amber.errors import ConfigError, Diagnostic, UsageError

Transform = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Migration:
    file: str  # repo-relative
    source: versions.Version
    target: versions.Version
    description: str
    drops: tuple[str, ...]
    up: Transform
    down: Transform

    @property
    def name(self) -> str:
        return Path(self.file).stem

    @property
    def lossless(self) -> bool:
        return not self.drops


@dataclass(frozen=True)
class Step:
    migration: Migration
    direction: str  # "up" or "down"

    @property
    def source(self) -> versions.Version:
        return self.migration.source if self.direction == "up" else self.migration.target

    @property
    def target(self) -> versions.Version:
        return self.migration.target if self.direction == "up" else self.migration.source

    def describe(self) -> str:
        arrow = f"{versions.text(self.source)} -> {versions.text(self.target)}"
        return f"{self.migration.name} ({self.direction}, {arrow})"


def _import(path: Path, rel: str) -> tuple[Any, list[Diagnostic]]:
    """The module of a migration file, or what went wrong importing it."""
    name = f"_amber_migration_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        return None, [Diagnostic("cannot load migration", file=rel, code="migration")]
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        message = f"syntax error: {exc.msg}"
        return None, [
            Diagnostic(message, file=rel, line=exc.lineno, col=exc.offset, code="migration")
        ]
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - user code raises anything, sys.exit too
        line = next(
            (
                f.lineno
                for f in reversed(traceback.extract_tb(exc.__traceback__))
                if f.filename == str(path)
            ),
            None,
        )
        message = f"importing raised {type(exc).__name__}: {exc}"
        return None, [Diagnostic(message, file=rel, line=line, code="migration")]
    finally:
        sys.modules.pop(name, None)
    return module, []


def _load_module(path: Path, rel: str) -> tuple[Migration | None, list[Diagnostic]]:
    module, errors = _import(path, rel)
    if module is None:
        return None, errors
    problems, parsed = _module_problems(module)
    if problems:
        return None, [Diagnostic(p, file=rel, code="migration") for p in problems]
    doc = (module.__doc__ or "").strip()
    return Migration(
        file=rel,
        source=parsed[0],
        target=parsed[1],
        description=" ".join(doc.split("\n\n")[0].split()),
        drops=tuple(module.DROPS) if hasattr(module, "DROPS") else (),
        up=module.up,
        down=module.down,
    ), []


def _module_problems(module: Any) -> tuple[list[str], list[versions.Version]]:
    """What a migration module lacks, and its FROM and TO versions."""
    problems = []
    source, target = getattr(module, "FROM", None), getattr(module, "TO", None)
    parsed: list[versions.Version] = []
    for label, value in (("FROM", source), ("TO", target)):
        if not isinstance(value, str) or not versions.is_version(value):
            problems.append(f"{label} must be a version string like '1.2.0', not {value!r}")
        else:
            parsed.append(versions.parse(value))
    for function in ("up", "down"):
        if not callable(getattr(module, function, None)):
            problems.append(f"define {function}(config) -> config")
    drops = getattr(module, "DROPS", ())
    if not isinstance(drops, (tuple, list)) or not all(isinstance(d, str) for d in drops):
        problems.append("DROPS must be a tuple of the JSON paths down() loses")
    if not (module.__doc__ or "").strip():
        problems.append("say what the migration changes in the module docstring")
    if len(parsed) == 2 and parsed[0] >= parsed[1]:
        problems.append(f"FROM {source} must be older than TO {target}")
    return problems, parsed


def load(settings: Settings) -> tuple[list[Migration], list[Diagnostic]]:
    """Every migration module, and what is wrong with any of them."""
    directory = settings.path(settings.migrations)
    if not directory.is_dir():
        return [], []
    found: list[Migration] = []
    problems: list[Diagnostic] = []
    for path in sorted(directory.glob("*.py")):
        if path.name.startswith("_"):
            continue
        migration, errors = _load_module(path, settings.rel(path))
        problems += errors
        if migration is not None:
            found.append(migration)
    return found, problems


def chain(migrations: list[Migration]) -> list[Migration]:
    """The migrations in order, oldest first (assumes a checked chain)."""
    return sorted(migrations, key=lambda m: m.source)


def plan(
    migrations: list[Migration], source: versions.Version, target: versions.Version
) -> list[Step]:
    """The steps from ``source`` to ``target``, up or down the chain."""
    ordered = chain(migrations)
    if source <= target:
        steps = [Step(m, "up") for m in ordered if source <= m.source and m.target <= target]
    else:
        steps = [
            Step(m, "down") for m in reversed(ordered) if target <= m.source and m.target <= source
        ]
    position = source
    for step in steps:
        if step.source != position:
            break
        position = step.target
    if position != target:
        raise UsageError(
            f"no migration path from {versions.text(source)} to {versions.text(target)} "
            "(amber check shows what the chain is missing)"
        )
    return steps


def apply(step: Step, config: dict[str, Any]) -> dict[str, Any]:
    """Run one step on a private copy and insist that the copy comes back untouched."""
    before = canonical.dump_bytes(config)
    private = json.loads(before)
    function = step.migration.up if step.direction == "up" else step.migration.down
    try:
        result = function(private)
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - user code raises anything, sys.exit too
        raise _failure(step, f"raised {type(exc).__name__}: {exc}") from None
    if canonical.dump_bytes(private) != before:
        raise _failure(
            step,
            "changed its input: a migration must return a new config and "
            "leave the one it was given alone",
        )
    if not isinstance(result, dict):
        raise _failure(step, f"returned {type(result).__name__}, not a config object")
    try:
        return dict(json.loads(canonical.dump_bytes(result)))
    except (TypeError, ValueError) as exc:
        raise _failure(step, f"returned something that is not JSON: {exc}") from None


def _failure(step: Step, message: str) -> ConfigError:
    return ConfigError(
        [
            Diagnostic(
                f"migration {step.describe()} {message}", file=step.migration.file, code="migration"
            )
        ]
    )
