"""Options that several commands share, declared once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from amber.compiler.arguments import parse_pairs
from amber.compiler.settings import ENGINES

F = TypeVar("F", bound=Callable[..., Any])

QUIET = click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
ENGINE = click.option("--engine", type=click.Choice(ENGINES), help="Jsonnet engine.")
JOBS = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Compile N environments at a time (default: one per core).",
)
NO_CACHE = click.option(
    "--no-cache", is_flag=True, help="Ignore and do not update the build cache."
)
BUILD_VERSION = click.option(
    "--version",
    "targets",
    multiple=True,
    metavar="V",
    help="Also write the config migrated to schema version V (dist/<env>@<V>.json); repeatable.",
)
CHECK_VERSION = click.option(
    "--version",
    "targets",
    multiple=True,
    metavar="V",
    help="Also check the config migrated to schema version V; repeatable.",
)
INSECURE = click.option(
    "--insecure", is_flag=True, help="Plain HTTP to a registry that is not on a loopback address."
)
DESTINATION = click.option(
    "--to",
    "destination",
    required=True,
    metavar="DEST",
    help="A directory store, or an OCI registry as oci://HOST[:PORT]/REPOSITORY.",
)

_ARGUMENT_OPTIONS = (
    ("--ext-str", "ext_vars", "External variable NAME=VALUE, a string (std.extVar); repeatable."),
    ("--ext-code", "ext_code", "External variable NAME=CODE, Jsonnet code; repeatable."),
    ("--tla-str", "tla_vars", "Top-level argument NAME=VALUE, a string; repeatable."),
    ("--tla-code", "tla_code", "Top-level argument NAME=CODE, Jsonnet code; repeatable."),
)


def jsonnet_arguments(function: F) -> F:
    """The four Jsonnet argument options, given to ``function`` as one ``arguments`` table of
    tables (over the settings', key by key, for every environment built)."""

    @functools.wraps(function)
    def collected(*args: Any, **kwargs: Any) -> Any:
        kwargs["arguments"] = {
            table: parse_pairs(kwargs.pop(table), option) for option, table, _ in _ARGUMENT_OPTIONS
        }
        return function(*args, **kwargs)

    for option, table, text in reversed(_ARGUMENT_OPTIONS):
        collected = click.option(option, table, multiple=True, metavar="NAME=VALUE", help=text)(
            collected
        )
    return collected  # type: ignore[return-value]
