"""Environments side by side: every leaf value of every environment, differences marked,
secrets shown as their reference, each value linked to the line that set it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from amber import canonical
from amber.compiler.diff.report import show
from amber.compiler.docs.gather import Environment, SiteData, leaves
from amber.compiler.docs.html import Page, anchor, breakable, code, esc, table

_ABSENT = object()
_LONG, _SHOWN = 80, 48  # characters


def render(data: SiteData, root: Path, out: Path) -> Page:
    envs = data.environments
    values = {env.name: leaves(env.config) for env in envs}
    paths = sorted({path for leaf in values.values() for path in leaf})
    # Links to sources are relative, so the site can move with the repository.
    base = os.path.relpath(root, out).replace(os.sep, "/")
    rows = [_row(path, envs, values, base) for path in paths]
    different = sum(1 for row in rows if 'class="differs"' in "".join(row))
    headers = ["Path", *[e.name for e in envs]]
    return Page(
        "Environments",
        _intro(len(paths), len(envs), different)
        + table(headers, rows, caption="Every value", cls="environments"),
    )


def _intro(values: int, environments: int, different: int) -> str:
    return (
        f"<p>{values} values in {environments} environments; {different} differ between "
        "environments (marked ≠). Each value links to the line most likely to set it. Secrets "
        'show their reference, never a value. Flags are on <a href="flags.html">their own '
        "page</a>.</p>\n"
    )


def _row(
    path: str,
    envs: list[Environment],
    values: dict[str, dict[str, Any]],
    base: str,
) -> list[str]:
    seen = [values[e.name].get(path, _ABSENT) for e in envs]
    # Compared as JSON: 1 and true differ (Python says they are equal), 1 and 1.0 do not.
    texts = {"" if v is _ABSENT else canonical.dumps(v) for v in seen}
    differs = len(texts) > 1
    cells = [f'<code id="{anchor(path)}">{breakable(path)}</code>']
    for env, value in zip(envs, seen, strict=True):
        cells.append(_cell(env, path, value, differs, base))
    return cells


def _cell(env: Environment, path: str, value: Any, differs: bool, base: str) -> str:
    klass = ' class="differs"' if differs else ""
    label = f' data-env="{esc(env.name)}" data-path="{esc(path)}"'
    if value is _ABSENT:
        return f'<td{klass}{label}><span class="muted">absent</span></td>'
    return f"<td{klass}{label}>{_folded(_shown(value))}{_source_link(env, path, base)}</td>"


def _folded(text: str) -> str:
    """A long value (a big list, a certificate) folded behind its start, so rows stay short."""
    if len(text) <= _LONG:
        return code(text)
    return f"<details><summary>{code(text[:_SHOWN] + '…')}</summary>{code(text)}</details>"


def _shown(value: Any) -> str:
    """A value as JSON, strings quoted, so "1" and 1, or "a\nb" and "a b", read apart."""
    if isinstance(value, dict) and "$secret" in value:
        return f"secret {value['$secret']}"  # the reference, never a value
    return show(value)


def _source_link(env: Environment, path: str, base: str) -> str:
    """A link to the line that set the value."""
    if path not in env.sources:
        return ""
    file, line = env.sources[path]
    href = quote(f"{base}/{file}")  # a # or % in a file name is part of the name
    return f'<a class="muted source" href="{esc(href)}">{esc(file)}:{line}</a>'
