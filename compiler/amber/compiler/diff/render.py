"""A diff as text (a terminal), markdown (a pull-request comment) or JSON (a script)."""

from __future__ import annotations

import html
from typing import Any

from amber.compiler.diff.report import Change, Report, show

_MARKS = {"added": "+", "removed": "-", "changed": "~", "flag": "*", "envelope": "!"}


def _line(change: Change) -> str:
    mark = _MARKS[change.kind]
    if change.kind == "added":
        return f"{mark} {change.path}: {show(change.new)}"
    if change.kind == "removed":
        return f"{mark} {change.path}: {show(change.old)}"
    if change.kind == "changed":
        return f"{mark} {change.path}: {show(change.old)} -> {show(change.new)}"
    if change.kind == "envelope" and change.old is None and change.new is None:
        return f"{mark} {change.path}: {change.note}"
    if change.kind == "envelope":
        return f"{mark} {change.path}: {change.old} -> {change.new} ({change.note})"
    return f"{mark} {change.path}: {change.note}"


def render_text(reports: list[Report]) -> str:
    lines = []
    for report in reports:
        if report.equal:
            lines.append(f"{report.label}: no changes")
            continue
        count = len(report.changes)
        lines.append(f"{report.label}: {count} change{'s' if count != 1 else ''}")
        lines += [f"  {_line(change)}" for change in report.changes]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else show(value)
    text = text.replace("|", "\\|").replace("\n", " ")
    return f"`{text}`" if text else ""


def render_markdown(reports: list[Report]) -> str:
    changed = [r for r in reports if not r.equal]
    if not changed:
        return "**amber diff**: no environment changed."
    lines = [
        f"**amber diff**: {len(changed)} environment{'s' if len(changed) != 1 else ''} changed.",
        "",
    ]
    for report in changed:
        lines += [f"#### `{report.label}`", "", "| | path | before | after |", "|---|---|---|---|"]
        for change in report.changes:
            mark, path = _MARKS[change.kind], _pipe(change.path)
            if change.kind in ("flag",):
                lines.append(f"| {mark} | `{path}` | {change.note} | |")
            else:
                lines.append(
                    f"| {mark} | `{path}` | "
                    f"{_cell(_said(change, 'old')) if change.kind != 'added' else ''} | "
                    f"{_cell(_said(change, 'new')) if change.kind != 'removed' else ''} |"
                )
        lines.append("")
    return "\n".join(lines).rstrip()


def _pipe(text: str) -> str:
    """A table cell's text with its | escaped (GitHub reads \\| as | inside code, too)."""
    return text.replace("|", "\\|")


def to_json(reports: list[Report]) -> dict[str, Any]:
    return {
        "equal": all(r.equal for r in reports),
        "environments": [
            {"label": r.label, "equal": r.equal, "changes": [c.to_json() for c in r.changes]}
            for r in reports
        ],
    }


_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;padding:1rem;max-width:70rem;"
    "color:#1d2430}table{border-collapse:collapse;margin:.5rem 0 1.5rem}"
    "th,td{border:1px solid #d9dee5;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "thead th{background:#f3f5f8}code{font-family:ui-monospace,monospace;overflow-wrap:anywhere}"
    ".scroll{overflow-x:auto}.k-added{background:#e6f4e9}.k-removed{background:#fbe7e7}"
    ".k-changed,.k-flag{background:#fff1d6}.k-envelope{background:#e8eefc}"
)


def render_html(reports: list[Report], title: str = "amber diff", back: str = "") -> str:
    """One self-contained page (inline style, no script): what CI attaches to a pull request."""
    changed = [r for r in reports if not r.equal]
    parts = [f"<p>{len(changed)} of {len(reports)} compared changed.</p>"]
    if back:
        parts.insert(0, f'<p><a href="{_esc(back)}">Back</a></p>')
    parts.extend(_html_report(report) for report in reports)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{_esc(title)}</title>\n<link rel="icon" href="data:,">\n'
        f"<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{_esc(title)}</h1>\n"
        + "\n".join(parts)
        + "\n</main>\n</body>\n</html>\n"
    )


def _html_report(report: Report) -> str:
    heading = f"<h2>{_esc(report.label)}</h2>"
    if report.equal:
        return heading + "<p>No changes.</p>"
    rows = "".join(_html_row(c) for c in report.changes)
    return (
        f'{heading}<div class="scroll"><table><thead><tr><th scope="col">Kind</th>'
        '<th scope="col">Path</th><th scope="col">Before</th><th scope="col">After</th>'
        f'<th scope="col">Note</th></tr></thead><tbody>{rows}</tbody></table></div>'
    )


def _esc(value: Any) -> str:
    return html.escape(value if isinstance(value, str) else show(value), quote=True)


def _html_row(c: Change) -> str:
    before = "" if c.kind == "added" else _html_value(c, "old")
    after = "" if c.kind == "removed" else _html_value(c, "new")
    return (
        f'<tr class="k-{c.kind}"><th scope="row">{_MARKS[c.kind]}</th>'
        f"<td><code>{_esc(c.path)}</code></td><td>{before}</td><td>{after}</td>"
        f"<td>{_esc(c.note)}</td></tr>"
    )


def _html_value(change: Change, side: str) -> str:
    value = getattr(change, side)
    if change.kind in ("flag",) or (value is None and change.kind == "envelope"):
        return ""
    return f"<code>{_esc(_said(change, side))}</code>"


def _said(change: Change, side: str) -> str:
    """A value as the text diff says it: JSON (strings quoted), an envelope field as it is."""
    value = getattr(change, side)
    if change.kind == "envelope":
        return "" if value is None else str(value)
    return show(value)
