"""``amber docs``: a static site of schemas, environments, flags, migrations and history."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

import click

from amber.cli import inputs, options
from amber.cli.output import say
from amber.compiler.docs import build_site
from amber.compiler.docs.history_page import StoreHistory
from amber.publish import directory


@click.command("docs")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Where to write the site.",
)
@click.option(
    "--store",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A directory store whose history to show.",
)
@options.QUIET
@click.pass_context
def docs_command(ctx: click.Context, out: Path, store: Path | None, quiet: bool) -> None:
    """Write a static site (plain HTML, works from file://) of the config."""
    started = time.monotonic()
    history = None
    if store is not None:
        history = StoreHistory(
            store.name,
            partial(directory.history, store),
            lambda digest: directory.object_path(store, digest).read_bytes(),
        )
    written = build_site(inputs.settings(ctx), out, history)
    if not quiet:
        seconds = time.monotonic() - started
        say(f"wrote {len(written)} files to {out}/ in {seconds:.1f} s; open {out}/index.html")
