"""What the site shows, read from the sources of truth: every schema version's fields, every
compiled environment's values and where they were set, the migration chain, the rules."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from amber import versions
from amber.compiler.build.compiled import Result
from amber.compiler.build.pipeline import build
from amber.compiler.checks import locate, rules, schemas
from amber.compiler.settings import Settings
from amber.compiler.versioning import migrations
from amber.errors import ConfigError, Diagnostic
from amber.rules import Rule

_CONSTRAINTS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
)


@dataclass
class FieldDoc:
    path: str
    kind: str
    description: str = ""
    default: Any = None
    has_default: bool = False
    constraints: list[str] = field(default_factory=list)
    required: bool = False


@dataclass
class Environment:
    name: str
    config: dict[str, Any]
    flags: dict[str, Any]
    fractional: str
    # JSON path -> (file, line) of the line most likely to set it
    sources: dict[str, tuple[str, int]] = field(default_factory=dict)


@dataclass
class SiteData:
    versions: list[str]
    fields: dict[str, list[FieldDoc]]  # version -> its fields, in schema order
    environments: list[Environment]
    migrations: list[migrations.Migration]
    rules: list[Rule]


def gather(settings: Settings) -> SiteData:
    known = sorted(schemas.schema_files(settings))
    fields = {
        versions.text(v): list(schema_fields(schemas.load(settings, v).document)) for v in known
    }
    results = build(settings)
    sources = locate.Sources(settings.root)
    _refuse([d for r in results for d in r.diagnostics if d.severity == "error"])
    found, problems = migrations.load(settings)
    _refuse(problems)
    rules_path = settings.path(settings.rules)
    return SiteData(
        versions=[versions.text(v) for v in known],
        fields=fields,
        environments=[_environment(r, sources) for r in results],
        migrations=migrations.chain(found) if found else [],
        rules=rules.load(rules_path, settings.rel(rules_path)),
    )


def _refuse(problems: list[Diagnostic]) -> None:
    if problems:
        raise ConfigError(problems)


def _environment(result: Result, sources: locate.Sources) -> Environment:
    config = dict(result.config or {})
    flags = config.pop("flags", None) or {}
    where = _sources(result, config, sources)
    return Environment(result.env, config, dict(flags), _generation(result), where)


def _sources(result: Result, config: dict[str, Any], sources: locate.Sources) -> dict[str, Any]:
    """JSON path -> (file, line) most likely to set it: the entry file first, then its imports."""
    files = list(result.compiled.inputs) if result.compiled is not None else []
    files = [result.entry, *[f for f in files if f != result.entry]]
    found = (
        (path, locate.find(sources.root, files, segments, sources))
        for path, segments in _leaf_paths(config)
    )
    return {path: where for path, where in found if where is not None}


def _generation(result: Result) -> str:
    """The fractional bucketing generation the artifact was built for (its provenance says)."""
    for data in result.outputs.values():
        flags = json.loads(data).get("provenance", {}).get("flags", {})
        if isinstance(flags, dict) and flags.get("fractional"):
            return str(flags["fractional"])
    return "v3"


def leaves(config: Mapping[str, Any]) -> dict[str, Any]:
    """Every leaf value by JSON path; an array of scalars and a secret reference are leaves."""
    out: dict[str, Any] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, Mapping) and value and "$secret" not in value:
            for key in value:
                walk(value[key], f"{path}.{key}" if path else str(key))
        elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")
        else:
            out[path] = value

    walk(config, "")
    return out


def _leaf_paths(config: Mapping[str, Any]) -> Iterator[tuple[str, list[str | int]]]:
    for path in leaves(config):
        segments: list[str | int] = []
        for part in path.replace("[", ".[").split("."):
            if part.startswith("["):
                segments.append(int(part[1:-1]))
            elif part:
                segments.append(part)
        yield path, segments


def schema_fields(document: dict[str, Any]) -> Iterator[FieldDoc]:
    """Every field a schema describes, by JSON path (``a.b``, ``a[]``, ``a.*``)."""
    yield from _fields(schemas.resolve_refs(document), "", required=True)


def _fields(node: Any, path: str, required: bool) -> Iterator[FieldDoc]:
    if not isinstance(node, Mapping):
        return
    if path:
        yield _field_doc(node, path, required)
    if path == "flags" or "$secret" in (node.get("properties") or {}):
        return  # flags have a page of their own; a secret reference is one value
    needed = set(node.get("required") or [])
    for key, sub in (node.get("properties") or {}).items():
        yield from _fields(sub, f"{path}.{key}" if path else key, key in needed)
    extra = node.get("additionalProperties")
    if isinstance(extra, Mapping):
        yield from _fields(extra, f"{path}.*", True)
    items = node.get("items")
    if isinstance(items, Mapping) and (items.get("properties") or items.get("items")):
        yield from _fields(items, f"{path}[]", True)


def _field_doc(node: Mapping[str, Any], path: str, required: bool) -> FieldDoc:
    constraints = [f"{key} {node[key]}" for key in _CONSTRAINTS if key in node]
    return FieldDoc(
        path=path,
        kind=kind_of(node),
        description=" ".join(str(node.get("description") or node.get("title") or "").split()),
        default=node.get("default"),
        has_default="default" in node,
        constraints=constraints,
        required=required,
    )


def kind_of(node: Mapping[str, Any]) -> str:
    """A schema node's type in a few words."""
    if "$secret" in (node.get("properties") or {}):
        return "secret reference"
    if "enum" in node:
        return "one of " + ", ".join(_word(v) for v in node["enum"])
    if "const" in node:
        return f"always {_word(node['const'])}"
    for combinator in ("oneOf", "anyOf"):
        if isinstance(node.get(combinator), list):
            return " or ".join(kind_of(b) for b in node[combinator] if isinstance(b, Mapping))
    kind = node.get("type")
    if isinstance(kind, list):
        return " or ".join(str(k) for k in kind)
    if kind == "array" and isinstance(node.get("items"), Mapping):
        return f"array of {kind_of(node['items'])}"
    if kind == "object" and isinstance(node.get("additionalProperties"), Mapping):
        return f"map of {kind_of(node['additionalProperties'])}"
    return str(kind or "any value")


def _word(value: Any) -> str:
    return value if isinstance(value, str) else str(value).lower()
