"""History (with ``--store``): each environment's pointer moves, with the content hash, when and
the sequence, and a page of the compiled diff between consecutive versions."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from amber.compiler.diff.compare import diff_artifacts
from amber.compiler.diff.render import render_html
from amber.compiler.docs.html import Page, code, esc, table


@dataclass(frozen=True)
class StoreHistory:
    """What the page reads from a store, handed in by the caller: the compiler does not import
    publish (the room that owns stores)."""

    name: str
    published: list[str]  # the environments the store has a history of
    entries: Callable[[str], list[dict[str, Any]]]  # environment -> its moves, oldest first
    read_object: Callable[[str], bytes]  # object digest -> the artifact's bytes

    def artifact(self, digest: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.read_object(digest))
        return data


_HEADERS = ["When", "Action", "Version", "From", "To", "Content hash", "Sequence", "Diff"]


def render(store: StoreHistory, environments: list[str]) -> tuple[Page, dict[str, str]]:
    """The history page, and one ``diff-<env>-<n>.html`` per move (file name -> HTML)."""
    diffs: dict[str, str] = {}
    # The store's own environments count too: one renamed in the repository keeps its past.
    shown = [e for e in environments if e in store.published]
    shown += [e for e in store.published if e not in environments]
    sections = [_section(store, env, diffs) for env in shown]
    never = [e for e in environments if e not in store.published]
    intro = f"<p>Every pointer move in the store {code(store.name)}, oldest first.</p>"
    if never:
        intro += f'<p class="muted">Never published: {esc(", ".join(never))}.</p>'
    return Page("History", intro + "\n".join(sections)), diffs


def _section(store: StoreHistory, env: str, diffs: dict[str, str]) -> str:
    rows = []
    for index, entry in enumerate(store.entries(env), 1):
        link = ""
        if entry.get("from") and entry.get("to"):
            name = f"diff-{env}-{index}.html"
            try:
                diffs[name] = _diff(store, env, entry)
                link = f'<a href="{name}">diff</a>'
            except (OSError, ValueError):  # an object gone from the store: the rest still shows
                link = '<span class="muted">object missing</span>'
        rows.append(_row(entry, _content_hash(store, entry), link))
    heading = f'<h2 id="history-{esc(env)}">{esc(env)}</h2>'
    return heading + (table(_HEADERS, rows) if rows else "<p>Never published.</p>")


def _content_hash(store: StoreHistory, entry: dict[str, Any]) -> str:
    """The entry's content hash; a rollback records only the object, which names its own."""
    if entry.get("content_hash") or not entry.get("to"):
        return str(entry.get("content_hash") or "")
    try:
        return str(store.artifact(str(entry["to"])).get("content_hash") or "")
    except (OSError, ValueError):
        return ""


def _row(entry: dict[str, Any], content_hash: str, link: str) -> list[str]:
    return [
        esc(entry.get("at", "")),
        esc(entry.get("action", "")),
        esc(entry.get("pointer", "")),
        code(str(entry.get("from") or "-")[:19]),
        code(str(entry.get("to") or "")[:19]),
        code(content_hash[:19]),
        esc(entry.get("sequence") or "-"),
        link,
    ]


def _diff(store: StoreHistory, env: str, entry: dict[str, Any]) -> str:
    old, new = store.artifact(str(entry["from"])), store.artifact(str(entry["to"]))
    label = f"{env}/{entry.get('pointer')}: {entry['from'][:19]} -> {entry['to'][:19]}"
    return render_html(
        [diff_artifacts(old, new, label)],
        title=f"{env}: {entry.get('action')}",
        back=f"history.html#history-{env}",
    )
