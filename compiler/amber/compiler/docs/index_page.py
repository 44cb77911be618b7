"""The overview: what is here, and a search over every field name."""

from __future__ import annotations

from amber.compiler.docs.gather import SiteData
from amber.compiler.docs.html import Page, anchor, code, esc
from amber.compiler.docs.schema_page import file_name


def render(data: SiteData, has_history: bool) -> Page:
    newest = data.versions[-1] if data.versions else ""
    versions_html = ", ".join(f'<a href="{file_name(v)}">{esc(v)}</a>' for v in data.versions)
    envs = ", ".join(esc(e.name) for e in data.environments)
    flags = sorted({key for env in data.environments for key in env.flags})
    history = '<li><a href="history.html">History</a> of the store</li>' if has_history else ""
    body = (
        "<ul>"
        f"<li>Schema versions: {versions_html}</li>"
        f'<li><a href="environments.html">Environments</a>: {envs}</li>'
        f'<li><a href="flags.html">Flags</a>: {esc(", ".join(flags)) or "none"}</li>'
        f'<li><a href="migrations.html">Migrations</a>: {len(data.migrations)} steps</li>'
        f"{history}</ul>\n"
        f"<h2>Fields of {esc(newest)}</h2>\n"
        '<p><label for="search">Search fields</label>'
        '<input id="search" type="search" placeholder="a field name" autocomplete="off"></p>\n'
        f'<ul id="results">{_field_list(data, newest)}</ul>'
    )
    return Page("Overview", body, search=True)


def _field_list(data: SiteData, version: str) -> str:
    return "".join(
        f'<li><a href="{file_name(version)}#{anchor(f.path)}">{code(f.path)}</a> '
        f'<span class="muted">{esc(f.kind)}</span></li>'
        for f in data.fields.get(version, [])
    )
