"""``amber docs``: a static site of the config, from its sources of truth.

Plain HTML and CSS and a few lines of JavaScript (the field search), no server and no CDN, so
it works from ``file://``, any static host or a CI artifact.  The same inputs give the same
files: nothing in them says when they were made.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from amber.atomic import write_bytes
from amber.compiler.docs import (
    environments_page,
    flags_page,
    history_page,
    index_page,
    migrations_page,
    schema_page,
)
from amber.compiler.docs.gather import SiteData, gather
from amber.compiler.docs.history_page import StoreHistory
from amber.compiler.docs.html import Page, document, nav_links
from amber.compiler.settings import Settings


def build_site(settings: Settings, out: Path, store: StoreHistory | None = None) -> list[Path]:
    """Write the site into ``out``; the files written, sorted.  Nothing is written when the
    config does not build: the last good site stays."""
    data = gather(settings)
    pages = _pages(data, settings.root, out.resolve(), has_history=store is not None)
    files: dict[str, bytes] = {}
    if store is not None:
        pages["history.html"], diffs = history_page.render(
            store, [e.name for e in data.environments]
        )
        files.update((name, text.encode("utf-8")) for name, text in diffs.items())
    nav = nav_links(store is not None)
    files.update((name, document(p, nav).encode("utf-8")) for name, p in pages.items())
    assets = resources.files("amber.compiler.docs") / "assets"
    files.update((name, (assets / name).read_bytes()) for name in ("site.css", "site.js"))
    for name, content in files.items():
        write_bytes(out / name, content)
    _sweep(out, set(files))
    return sorted(out / name for name in files)


MANIFEST = ".amber-docs"  # the files the last build wrote, one per line


def _sweep(out: Path, written: set[str]) -> None:
    """Remove the pages an earlier build wrote that this one did not (a schema version or a
    store gone); anything else in the folder is someone else's and stays."""
    try:
        before = set((out / MANIFEST).read_text("utf-8").split())
    except (OSError, UnicodeDecodeError):
        before = set()
    for name in before - written:
        if "/" not in name and name.endswith((".html", ".css", ".js")):
            (out / name).unlink(missing_ok=True)
    write_bytes(out / MANIFEST, "".join(f"{name}\n" for name in sorted(written)).encode())


def _pages(data: SiteData, root: Path, out: Path, has_history: bool) -> dict[str, Page]:
    pages = {
        "index.html": index_page.render(data, has_history),
        "environments.html": environments_page.render(data, root, out),
        "flags.html": flags_page.render(data),
        "migrations.html": migrations_page.render(data),
    }
    pages.update((schema_page.file_name(v), schema_page.render(data, v)) for v in data.versions)
    return pages
