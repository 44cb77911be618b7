"""Migrations: the chain of schema versions as a picture, and each step's summary and what it
adds or drops (from the two versions' schemas, and what the migration says it drops)."""

from __future__ import annotations

from amber import versions
from amber.compiler.docs.gather import SiteData
from amber.compiler.docs.html import Page, code, esc, table
from amber.compiler.docs.schema_page import file_name
from amber.compiler.versioning.migrations import Migration

_BOX_WIDTH, _GAP = 120, 60


def render(data: SiteData) -> Page:
    rows = [_row(data, m) for m in data.migrations]
    body = (
        f'<figure class="chain">{_picture(data.versions)}'
        f"<figcaption>{len(data.versions)} schema versions, "
        f"{len(data.migrations)} migrations (each runs up and down).</figcaption></figure>\n"
        + table(
            ["Step", "Summary", "Adds", "Drops", "Down loses", "File"],
            rows,
            caption="Migration steps (down loses: what going back drops from a config)",
        )
    )
    return Page("Migrations", body)


def _row(data: SiteData, migration: Migration) -> list[str]:
    source = versions.text(migration.source)
    target = versions.text(migration.target)
    before = {f.path for f in data.fields.get(source, [])}
    after = {f.path for f in data.fields.get(target, [])}
    added = sorted(after - before)
    dropped = sorted(before - after)
    summary = str(migration.description).strip().splitlines()
    return [
        f'<a href="{file_name(source)}">{esc(source)}</a> → '
        f'<a href="{file_name(target)}">{esc(target)}</a>',
        esc(summary[0] if summary else ""),
        "<br>".join(code(p) for p in added),
        "<br>".join(code(p) for p in dropped),
        "<br>".join(code(p) for p in migration.drops),
        code(migration.file),
    ]


def _picture(names: list[str]) -> str:
    """Boxes and arrows, oldest to newest: inline SVG, readable without CSS or script."""
    width = max(1, len(names)) * (_BOX_WIDTH + _GAP) - _GAP + 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 60" width="{width}" '
        f'height="60" role="img" aria-label="Schema versions {esc(" to ".join(names))}">',
        '<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" refY="4" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#5b6472"/></marker></defs>',
    ]
    for index, name in enumerate(names):
        x = 1 + index * (_BOX_WIDTH + _GAP)
        parts.append(_box(name, x))
        if index + 1 < len(names):
            parts.append(_arrow(x + _BOX_WIDTH))
    return "".join(parts) + "</svg>"


def _box(name: str, x: int) -> str:
    return (
        f'<a href="{file_name(name)}"><rect x="{x}" y="10" width="{_BOX_WIDTH}" height="40" '
        f'rx="6" fill="#f3f5f8" stroke="#1d2430"/><text x="{x + _BOX_WIDTH // 2}" y="35" '
        f'text-anchor="middle" font-size="16" fill="#1d2430">{esc(name)}</text></a>'
    )


def _arrow(start: int) -> str:
    return (
        f'<line x1="{start + 4}" y1="30" x2="{start + _GAP - 6}" y2="30" '
        'stroke="#5b6472" stroke-width="2" marker-end="url(#arrow)"/>'
    )
