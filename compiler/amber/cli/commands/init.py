"""``amber init``: scaffold a config repository that checks and builds as created."""

from __future__ import annotations

from pathlib import Path

import click

from amber.cli import options
from amber.cli.output import say
from amber.compiler import scaffold


@click.command("init")
@click.argument(
    "directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
@options.QUIET
def init_command(directory: Path, quiet: bool) -> None:
    """Scaffold a new config repository in DIRECTORY (default: here) that checks and builds."""
    written = scaffold.init(directory)
    if not quiet:
        for rel in written:
            say(f"created {directory / rel}")
        say(f"next: cd {directory} && amber check && amber build")
