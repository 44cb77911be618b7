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
from amber.publish import destination, directory, history


@click.command("docs")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: site/ at the repository's root, as dist/ is).",
)
@click.option(
    "--store",
    metavar="DIR",
    help="A directory store whose history to show (publishes and rollbacks, with diffs).",
)
@options.QUIET
@click.pass_context
def docs_command(ctx: click.Context, out: Path | None, store: str | None, quiet: bool) -> None:
    """Write a static site (plain HTML, works from file://) of the config."""
    started = time.monotonic()
    if out is not None and not str(out).strip():
        raise UsageError("--out is empty: name the folder to write the site into")
    past = _history(store) if store is not None else None
    settings = inputs.settings(ctx)
    where = out if out is not None else _shown(settings.root / "site")
    written = build_site(settings, where, past)
    if not quiet:
        seconds = time.monotonic() - started
        say(f"wrote {len(written)} files to {where}/ in {seconds:.1f} s; open {where}/index.html")


def _shown(path: Path) -> Path:
    """A path as short as it can be said from here."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


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
    # Read as it is, without the lock or the healing a publish does: docs never change a store
    # (and may read one mounted read-only); a torn last line is left out.
    published = sorted(p.parent.name for p in store.glob(f"*/{history.FILE}"))
    return StoreHistory(
        store.name,
        published,
        partial(history.read, store),
        lambda digest: directory.object_path(store, digest).read_bytes(),
    )
