"""A diff as text (a terminal), markdown (a pull-request comment) or JSON (a script)."""

from __future__ import annotations

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
            if change.kind in ("flag",):
                lines.append(f"| {_MARKS[change.kind]} | `{change.path}` | {change.note} | |")
            else:
                lines.append(
                    f"| {_MARKS[change.kind]} | `{change.path}` | "
                    f"{_cell(change.old) if change.kind != 'added' else ''} | "
                    f"{_cell(change.new) if change.kind != 'removed' else ''} |"
                )
        lines.append("")
    return "\n".join(lines).rstrip()


def to_json(reports: list[Report]) -> dict[str, Any]:
    return {
        "equal": all(r.equal for r in reports),
        "environments": [
            {"label": r.label, "equal": r.equal, "changes": [c.to_json() for c in r.changes]}
            for r in reports
        ],
    }
