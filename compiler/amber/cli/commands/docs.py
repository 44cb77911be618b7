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
from amber.errors import UsageError
from amber.publish import destination, directory


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
    metavar="DIR",
    help="A directory store whose history to show (publishes and rollbacks, with diffs).",
)
@options.QUIET
@click.pass_context
def docs_command(ctx: click.Context, out: Path, store: str | None, quiet: bool) -> None:
    """Write a static site (plain HTML, works from file://) of the config."""
    started = time.monotonic()
    history = _history(store) if store is not None else None
    written = build_site(inputs.settings(ctx), out, history)
    if not quiet:
        seconds = time.monotonic() - started
        say(f"wrote {len(written)} files to {out}/ in {seconds:.1f} s; open {out}/index.html")


def _history(text: str) -> StoreHistory:
    store = destination.parse(text)
    if not isinstance(store, Path):
        # A registry keeps tags, not a record of when and why each one moved.
        raise UsageError(
            "history is read from a directory store; a registry keeps no record of its tag "
            "moves (publish to a directory store as well to keep one)",
            file=text,
        )
    if not (store / "objects").is_dir():
        raise UsageError("not a directory store (no objects/ in it)", file=text)
    return StoreHistory(
        store.name,
        partial(directory.history, store),
        lambda digest: directory.object_path(store, digest).read_bytes(),
    )
