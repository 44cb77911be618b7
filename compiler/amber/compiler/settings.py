"""Where a config repository keeps things: conventions, overridable in TOML.

Settings come from ``[tool.amber]`` in ``pyproject.toml`` and from ``amber.toml`` at the repo
root (same keys; ``amber.toml`` wins).  Every key has a default, so a repo needs neither file.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from amber.errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

ENGINES = ("go", "rust")
FRACTIONAL = ("v2", "v3")

# Optional where it is by default; a rules file named in the settings must exist.
DEFAULT_RULES = "config/rules.py"


@dataclass(frozen=True)
class Settings:
    root: Path
    environments: str = "environments"
    library: tuple[str, ...] = ("config",)
    schemas: str = "config/schema"
    rules: str = DEFAULT_RULES
    migrations: str = "migrations"
    out: str = "dist"
    engine: str = "go"
    # flagd's bucketing generation for `fractional`; recorded in every artifact with flags.
    fractional: str = "v3"
    max_stack: int = 500
    max_output_bytes: int = 64 * 1024 * 1024
    # Seconds one environment's evaluation may take; past that it fails instead of hanging CI.
    # 0: no limit.
    timeout: int = 300
    # MiB of memory one environment's compilation may take; past that it fails instead of
    # taking the machine.  0: no limit.
    max_memory: int = 2048
    # Jsonnet's external variables (std.extVar) as strings and as code, and top-level arguments
    # of an environment that is a function, for every environment; `env` holds the same four
    # tables for one environment (`[env.prod.tla_vars]`), which win key by key.
    ext_vars: dict[str, str] = field(default_factory=dict)
    ext_code: dict[str, str] = field(default_factory=dict)
    tla_vars: dict[str, str] = field(default_factory=dict)
    tla_code: dict[str, str] = field(default_factory=dict)
    env: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    publish_versions: tuple[str, ...] = ()
    # Fingerprints (sha256 of the value) of values the credential scanner may let through.
    allow_credentials: tuple[str, ...] = ()
    # Where the settings came from, for messages.
    source: str = ""

    def path(self, relative: str) -> Path:
        return self.root / relative

    def rel(self, path: Path | str) -> str:
        """``path`` relative to the repo root, with forward slashes, for messages and provenance."""
        try:
            return Path(os.path.relpath(path, self.root)).as_posix()
        except ValueError:  # another drive on Windows
            return Path(path).as_posix()

    def output_key(self) -> dict[str, Any]:
        """The settings that change what a build writes (part of the build cache key)."""
        return {
            "library": list(self.library),
            "engine": self.engine,
            "fractional": self.fractional,
            "max_stack": self.max_stack,
            "max_output_bytes": self.max_output_bytes,
            "ext_vars": dict(sorted(self.ext_vars.items())),
        }


_TYPES: dict[str, type] = {
    "environments": str,
    "library": tuple,
    "schemas": str,
    "rules": str,
    "migrations": str,
    "out": str,
    "engine": str,
    "fractional": str,
    "max_stack": int,
    "max_output_bytes": int,
    "timeout": int,
    "max_memory": int,
    "ext_vars": dict,
    "ext_code": dict,
    "tla_vars": dict,
    "tla_code": dict,
    "env": dict,
    "publish_versions": tuple,
    "allow_credentials": tuple,
}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = tomllib.loads(path.read_bytes().decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"invalid TOML: {exc}", file=path.name) from None
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"not UTF-8 text: {exc.reason} at byte {exc.start}", file=path.name
        ) from None
    except OSError as exc:
        raise UsageError(f"cannot read: {exc.strerror}", file=path.name) from None
    return data


def _coerce(key: str, value: Any, source: str) -> Any:
    expected = _TYPES.get(key)
    if expected is None:
        known = ", ".join(sorted(_TYPES))
        raise UsageError(f"unknown setting {key!r} (known: {known})", file=source)
    if expected is tuple:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UsageError(f"setting {key!r} must be a string or a list of strings", file=source)
        if key == "allow_credentials":
            _check_fingerprints(value, source)
        return tuple(value)
    if key == "env":
        return _per_environment(value, source)
    if expected is dict:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise UsageError(f"setting {key!r} must be a table of strings", file=source)
        return dict(value)
    if key == "timeout":  # seconds; 0 switches the limit off
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**6:
            raise UsageError(
                "setting 'timeout' must be seconds from 1 to 1000000, or 0 for no limit",
                file=source,
            )
        return value
    if key == "max_memory":  # MiB; 0 switches the limit off
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not (value == 0 or 64 <= value <= 10**7)
        ):
            raise UsageError(
                "setting 'max_memory' must be MiB from 64 to 10000000, or 0 for no limit",
                file=source,
            )
        return value
    if expected is int and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
        raise UsageError(f"setting {key!r} must be a positive integer", file=source)
    if expected is str and not isinstance(value, str):
        raise UsageError(f"setting {key!r} must be a string", file=source)
    return value


ARGUMENT_TABLES = ("ext_vars", "ext_code", "tla_vars", "tla_code")


def _per_environment(value: Any, source: str) -> dict[str, dict[str, dict[str, str]]]:
    """``[env.<name>]`` tables: the argument tables for one environment."""
    shape = f"[env.<name>] tables hold {', '.join(ARGUMENT_TABLES)}, each a table of strings"
    if not isinstance(value, dict) or not all(isinstance(t, dict) for t in value.values()):
        raise UsageError(f"setting 'env': {shape}", file=source)
    for name, tables in value.items():
        for key, table in tables.items():
            if key not in ARGUMENT_TABLES or not isinstance(table, dict):
                raise UsageError(f"setting 'env.{name}.{key}': {shape}", file=source)
            if not all(isinstance(v, str) for v in table.values()):
                raise UsageError(f"setting 'env.{name}.{key}': {shape}", file=source)
    return {name: {k: dict(t) for k, t in tables.items()} for name, tables in value.items()}


_FINGERPRINT = re.compile(r"sha256:[0-9a-f]{64}")


def _check_fingerprints(values: list[str], source: str) -> None:
    for value in values:
        if not _FINGERPRINT.fullmatch(value):
            raise UsageError(
                f"allow_credentials holds fingerprints, sha256:<64 hex digits> of the value "
                f"(`printf %s VALUE | sha256sum`), not {value[:4]!r}...",
                file=source,
            )


def _is_repo_root(directory: Path) -> bool:
    if (directory / "amber.toml").is_file():
        return True
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file() and "tool" in (data := _read_toml(pyproject)):
        return "amber" in data["tool"]
    return False


def find_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` with Amber settings, else ``start`` itself."""
    start = start.resolve()
    for directory in (start, *start.parents):
        if _is_repo_root(directory):
            return directory
    return start


def load(root: Path | None = None) -> Settings:
    """The settings of the repository at ``root`` (found upward from the cwd when omitted)."""
    root = find_root(Path.cwd()) if root is None else root.resolve()
    if not root.is_dir():
        raise UsageError(f"{root}: not a directory")
    values: dict[str, Any] = {}
    sources: list[str] = []
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        table = _read_toml(pyproject).get("tool", {}).get("amber")
        if table is not None:
            values.update({k: _coerce(k, v, "pyproject.toml") for k, v in table.items()})
            sources.append("pyproject.toml")
    amber_toml = root / "amber.toml"
    if amber_toml.is_file():
        table = _read_toml(amber_toml)
        values.update({k: _coerce(k, v, "amber.toml") for k, v in table.items()})
        sources.append("amber.toml")
    settings = Settings(root=root, source=" + ".join(sources), **values)
    if settings.engine not in ENGINES:
        raise UsageError(
            f"engine must be one of {', '.join(ENGINES)}, not {settings.engine!r}",
            file=settings.source,
        )
    if settings.fractional not in FRACTIONAL:
        raise UsageError(
            f"fractional must be one of {', '.join(FRACTIONAL)}, not {settings.fractional!r}",
            file=settings.source,
        )
    return settings


def with_overrides(settings: Settings, **overrides: Any) -> Settings:
    """A copy with command-line overrides applied (``None`` means not given)."""
    given = {k: v for k, v in overrides.items() if v is not None}
    names = {f.name for f in fields(Settings)}
    unknown = set(given) - names
    if unknown:
        raise UsageError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    return replace(settings, **given)
