"""The schema reference: one page per schema version, every field with its type, description,
default, constraints, the rules that mention it, and the versions it lives in."""

from __future__ import annotations

from amber.compiler.diff.report import show
from amber.compiler.docs.gather import FieldDoc, SiteData
from amber.compiler.docs.html import Page, anchor, breakable, code, esc, table
from amber.rules import Rule


def file_name(version: str) -> str:
    return f"schema-{version}.html"


def render(data: SiteData, version: str) -> Page:
    rows = [_row(data, version, f) for f in data.fields[version]]
    body = (
        f"<p>Every field of schema version {esc(version)}, in the order the schema lists them. "
        "A field's history says the versions it exists in; the links go to it there.</p>\n"
        + table(
            ["Field", "Type", "Description", "Default", "Constraints", "Rules", "Versions"],
            rows,
            caption=f"Fields of {version}",
            cls="fields",
        )
    )
    return Page(f"Schema {version}", body)


def _row(data: SiteData, version: str, item: FieldDoc) -> list[str]:
    required = "" if item.required else ' <span class="muted">(optional)</span>'
    default = _default(item.default) if item.has_default else ""
    return [
        f'<code id="{anchor(item.path)}">{breakable(item.path)}</code>{required}',
        esc(item.kind),
        esc(item.description),
        default,
        "<br>".join(esc(c) for c in item.constraints),
        _rules(data, item),
        _history(data, version, item.path),
    ]


def _rules(data: SiteData, item: FieldDoc) -> str:
    # A section is "mentioned" by every rule inside it; name only the rules declared on it.
    whole = item.kind == "object" or item.kind.startswith(("array", "map of"))
    sources = data.rule_sources if not whole else {}
    mentioned = [r for r in data.rules if mentions(r, item.path, sources.get(r.name, ""))]
    return "<br>".join(
        f"{code(r.name)}{' (warning)' if r.severity == 'warning' else ''}" for r in mentioned
    )


def _history(data: SiteData, version: str, path: str) -> str:
    present = [v for v in data.versions if any(f.path == path for f in data.fields[v])]
    if not present:
        return ""
    parts = [f"since {esc(present[0])}"]
    later = data.versions[data.versions.index(present[-1]) + 1 :]
    if later:
        parts.append(f"dropped in {esc(later[0])}")
    links = [
        f'<a href="{file_name(v)}#{anchor(path)}">{esc(v)}</a>' for v in present if v != version
    ]
    if links:
        parts.append("also in " + ", ".join(links))
    return "; ".join(parts)


def _default(value: object) -> str:
    text = show(value)
    if len(text) <= 40:
        return code(text)
    # A whole section's default would crowd the table: folded, one click away.
    kind = "object" if isinstance(value, dict) else "array" if isinstance(value, list) else "value"
    return f"<details><summary>{kind}</summary>{code(text)}</details>"


def mentions(rule: Rule, path: str, source: str = "") -> bool:
    """A rule mentions a field when its declared path is the field, or its ``source`` (the
    rule function's text, when given) reads the field's name as a key."""
    if rule.path == path.replace("[]", ""):
        return True
    leaf = path.replace("[]", "").split(".")[-1]
    return leaf != "*" and bool(source) and (f'"{leaf}"' in source or f"'{leaf}'" in source)
