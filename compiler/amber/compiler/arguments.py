"""What an environment is evaluated with beyond its files: external variables (``std.extVar``)
as strings and as code, and top-level arguments when the environment is a function.

From the settings (every environment, then ``[env.<name>]`` key by key) and the command line
(``--tla-str region=eu`` and the like, which win).  ``env`` is Amber's own external variable,
the environment's name.  What an environment was evaluated with is part of its cache key and
recorded in its provenance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from amber.compiler.settings import ARGUMENT_TABLES, Settings
from amber.errors import UsageError


@dataclass(frozen=True)
class Arguments:
    ext_vars: dict[str, str] = field(default_factory=dict)
    ext_code: dict[str, str] = field(default_factory=dict)
    tla_vars: dict[str, str] = field(default_factory=dict)
    tla_code: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, dict[str, str]]:
        """The non-empty tables, sorted: for provenance and the cache key."""
        tables = {name: getattr(self, name) for name in ARGUMENT_TABLES}
        return {name: dict(sorted(t.items())) for name, t in tables.items() if t}


def for_environment(settings: Settings, env: str) -> Arguments:
    """The arguments ``env`` is evaluated with (``std.extVar('env')`` aside)."""
    own = settings.env.get(env, {})
    tables: dict[str, dict[str, str]] = {
        name: {**getattr(settings, name), **own.get(name, {})} for name in ARGUMENT_TABLES
    }
    if "env" in tables["ext_vars"] or "env" in tables["ext_code"]:
        raise UsageError(
            "'env' is Amber's own external variable (the environment's name); choose another name",
            file=settings.source,
        )
    return Arguments(**tables)


def parse_pairs(pairs: tuple[str, ...], option: str) -> dict[str, str]:
    """``("region=eu", ...)`` from the command line, as a table."""
    table: dict[str, str] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise UsageError(f"{option} takes NAME=VALUE, not {pair!r}")
        table[name] = value
    return table


def with_command_line(settings: Settings, given: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Settings overrides that put the command line's pairs over the settings', those of every
    ``[env.<name>]`` table included: what is typed wins."""
    given = {name: table for name, table in given.items() if table}
    if not given:
        return {}
    overrides: dict[str, Any] = {
        name: {**getattr(settings, name), **table} for name, table in given.items()
    }
    overrides["env"] = {
        env: {**tables, **{name: {**tables.get(name, {}), **t} for name, t in given.items()}}
        for env, tables in settings.env.items()
    }
    return overrides
