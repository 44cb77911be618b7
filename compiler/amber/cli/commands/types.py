"""``amber types``: typed config for apps, a Python module generated from a schema version and
the compiled flags; ``--check`` says when a checked-in one is stale."""

from __future__ import annotations

from pathlib import Path

import click

from amber.atomic import write_bytes
from amber.cli import inputs
from amber.cli.output import Exit, warn
from amber.compiler.typed import DEFAULT_NAME, generate, stale


@click.command("types")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the module here (atomically); stdout without it.",
)
@click.option("--version", metavar="V", help="The schema version (default: the newest).")
@click.option("--name", default=DEFAULT_NAME, show_default=True, help="The root class's name.")
@click.option(
    "--check",
    "check_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="PATH",
    help="Exit 1 if the module at PATH is not what `amber types` would write now.",
)
@click.pass_context
def types_command(
    ctx: click.Context,
    output: Path | None,
    version: str | None,
    name: str,
    check_path: Path | None,
) -> None:
    """A Python module of frozen dataclasses for a schema version, typed flag accessors, and
    `load`/`watch` pinned to that version."""
    settings = inputs.settings(ctx)
    if check_path is not None:
        why = stale(settings, check_path)
        if why is not None:
            warn(f"{check_path}: error: {why}")
            raise Exit(1)
        return
    text = generate(settings, version, name)
    if output is None:
        # The module as -o would write it: generated code is not a message, and the redactor
        # would cut schema constants that look random (then --check calls the module stale).
        click.echo(text, nl=False)
        return
    write_bytes(output, text.encode("utf-8"))
