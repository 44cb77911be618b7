"""The site's HTML: escaping, one page layout, tables.  Plain strings, no template engine."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

PAGES = (
    ("index.html", "Overview"),
    ("environments.html", "Environments"),
    ("flags.html", "Flags"),
    ("migrations.html", "Migrations"),
)


# Control characters other than tab and newline are not text in HTML (NUL is a parse error).
_CONTROLS = {c: f"\\u{c:04x}" for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]}


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True).translate(_CONTROLS)


def anchor(path: str) -> str:
    """An element id for a JSON path: one id per path (``a.b`` and ``a["b"]`` differ), valid in a
    URL fragment as it is."""
    return "f-" + "".join(
        c if c.isascii() and (c.isalnum() or c in "._-") else f"~{ord(c):x}~" for c in path
    )


@dataclass(frozen=True)
class Page:
    """A page's own part; `document` puts it in the site's layout."""

    title: str
    body: str
    search: bool = False  # loads site.js, the field search


def nav_links(has_history: bool) -> tuple[tuple[str, str], ...]:
    return (*PAGES, ("history.html", "History")) if has_history else PAGES


def document(content: Page, nav: Sequence[tuple[str, str]]) -> str:
    links = "".join(f'<li><a href="{esc(href)}">{esc(label)}</a></li>' for href, label in nav)
    script = '<script src="site.js"></script>\n' if content.search else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(content.title)} · amber docs</title>\n"
        '<link rel="icon" href="data:,">\n<link rel="stylesheet" href="site.css">\n'
        "</head>\n<body>\n"
        f'<header><p class="brand">amber docs</p><nav aria-label="Site"><ul>{links}</ul></nav>'
        "</header>\n"
        f"<main>\n<h1>{esc(content.title)}</h1>\n{content.body}\n</main>\n{script}</body>\n"
        "</html>\n"
    )


def table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], caption: str = "", cls: str = ""
) -> str:
    """A table whose cells are HTML already; headers are escaped here."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(_cell(i, c) for i, c in enumerate(row)) + "</tr>" for row in rows
    )
    caption_html = f"<caption>{esc(caption)}</caption>" if caption else ""
    klass = f' class="{esc(cls)}"' if cls else ""
    return (
        f'<div class="scroll"><table{klass}>{caption_html}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _cell(index: int, content: str) -> str:
    if index == 0:
        return f'<th scope="row">{content}</th>'
    if content.startswith("<td"):
        return content
    return f"<td>{content}</td>"


def code(value: Any) -> str:
    return f"<code>{esc(value)}</code>"


def breakable(path: str) -> str:
    """A JSON path, escaped, that may wrap after its dots on a narrow screen."""
    return "<wbr>.".join(esc(part) for part in path.split("."))
