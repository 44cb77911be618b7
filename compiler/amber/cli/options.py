"""Options that several commands share, declared once."""

from __future__ import annotations

import click

from amber.compiler.settings import ENGINES

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
