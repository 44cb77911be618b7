"""What the site shows, read from the sources of truth: every schema version's fields, every
compiled environment's values and where they were set, the migration chain, the rules."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from amber import versions
from amber.compiler.build.compiled import Result
from amber.compiler.build.pipeline import build
from amber.compiler.checks import locate, rules, schemas
from amber.compiler.settings import Settings
from amber.compiler.typed.flags import flag_specs
from amber.compiler.versioning import migrations
from amber.compiler.versioning.chain import check_repository
from amber.errors import ConfigError, Diagnostic
from amber.jsonpath import Segment, format_path
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
    # JSON path -> (file, line) of the line most likely to set it
    sources: dict[str, tuple[str, int]] = field(default_factory=dict)


@dataclass
class SiteData:
    versions: list[str]
    fields: dict[str, list[FieldDoc]]  # version -> its fields, in schema order
    environments: list[Environment]
    migrations: list[migrations.Migration]
    rules: list[Rule]
    fractional: str = "v3"  # flagd's bucketing generation, the repository's setting
    rule_sources: dict[str, str] = field(default_factory=dict)  # rule name -> its function


def gather(settings: Settings) -> SiteData:
    results = build(settings)
    # What `amber check` refuses, the site does not show: no page of a broken chain.
    compiled = {r.env: r.config for r in results if r.config is not None and r.ok}
    found_problems = [d for r in results for d in r.diagnostics] + check_repository(settings)
    _refuse([d for d in found_problems if d.severity == "error"] + flag_specs(compiled)[1])
    found, _ = migrations.load(settings)
    sources = locate.Sources(settings.root)
    rules_path = settings.path(settings.rules)
    loaded = rules.load(rules_path, settings.rel(rules_path))
    return SiteData(
        versions=[versions.text(v) for v in sorted(schemas.schema_files(settings))],
        fields=_fields_by_version(settings),
        environments=[_environment(r, sources) for r in results],
        migrations=migrations.chain(found) if found else [],
        rules=loaded,
        fractional=settings.fractional,
        rule_sources={rule.name: _source(rule) for rule in loaded},
    )


def _fields_by_version(settings: Settings) -> dict[str, list[FieldDoc]]:
    """Every version's fields.  check_repository has loaded and checked every schema by now,
    so the documents are read as they are, not checked against the meta-schema again."""
    files = sorted(schemas.schema_files(settings).items())
    return {
        versions.text(v): list(schema_fields(schemas.read_json(path, settings.rel(path))))
        for v, path in files
    }


def _source(rule: Rule) -> str:
    """A rule function's text, read once for every field it might name."""
    try:
        return inspect.getsource(rule.function)
    except (OSError, TypeError):
        return ""


def _refuse(problems: list[Diagnostic]) -> None:
    if problems:
        raise ConfigError(problems)


def _environment(result: Result, sources: locate.Sources) -> Environment:
    config = dict(result.config or {})
    flags = config.pop("flags", None) or {}
    where = _sources(result, config, sources)
    return Environment(result.env, config, dict(flags), where)


def _sources(result: Result, config: dict[str, Any], sources: locate.Sources) -> dict[str, Any]:
    """JSON path -> (file, line) most likely to set it: the entry file first, then its imports."""
    # The entry first (overrides live there): a result from the build cache lists its inputs
    # sorted, not in the order they were read.
    files = list(result.compiled.inputs) if result.compiled is not None else []
    files = [result.entry, *[f for f in files if f != result.entry]]
    found = (
        (format_path(segments), locate.find(sources.root, files, segments, sources))
        for segments, _ in leaf_items(config)
    )
    return {path: where for path, where in found if where is not None}


def leaf_items(config: Mapping[str, Any]) -> Iterator[tuple[list[Segment], Any]]:
    """Every leaf value with its path's segments; an array of scalars and a secret reference
    are leaves.  Segments, not text: a key may hold dots or brackets."""

    def walk(value: Any, segments: list[Segment]) -> Iterator[tuple[list[Segment], Any]]:
        if isinstance(value, Mapping) and value and "$secret" not in value:
            for key in value:
                yield from walk(value[key], [*segments, key])
        elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
            for index, item in enumerate(value):
                yield from walk(item, [*segments, index])
        else:
            yield segments, value

    yield from walk(config, [])


def leaves(config: Mapping[str, Any]) -> dict[str, Any]:
    """Every leaf value by its JSON path, written as `amber diff` writes paths."""
    return {format_path(segments): value for segments, value in leaf_items(config)}


def child(path: str, key: str) -> str:
    """A field's path below ``path``: ``a.b``, or ``a["b.c"]`` for a key that needs quotes."""
    step = format_path([key])
    return step if not path else path + (step if step.startswith("[") else f".{step}")


def schema_fields(document: dict[str, Any]) -> Iterator[FieldDoc]:
    """Every field a schema describes, by JSON path (``a.b``, ``a[]``, ``a.*``, ``a.<regex>``),
    each once (a field in several branches of a composition is listed where it first comes)."""
    seen: set[str] = set()
    for item in _fields(schemas.resolve_refs(document), "", required=True):
        if item.path not in seen:
            seen.add(item.path)
            yield item


def _fields(node: Any, path: str, required: bool) -> Iterator[FieldDoc]:
    if not isinstance(node, Mapping):
        return
    if path:
        yield _field_doc(node, path, required)
    if path == "flags" or "$secret" in (node.get("properties") or {}):
        return  # flags have a page of their own; a secret reference is one value
    yield from _children(node, path)


def _children(node: Mapping[str, Any], path: str, optional: bool = False) -> Iterator[FieldDoc]:
    """The fields below a node: its properties, and those of the schemas it is composed of
    (all of an ``allOf``; each branch of a ``oneOf``/``anyOf``, where every field is optional)."""
    needed = set(node.get("required") or []) if not optional else set()
    for key, sub in (node.get("properties") or {}).items():
        yield from _fields(sub, child(path, key), key in needed)
    for pattern, sub in (node.get("patternProperties") or {}).items():
        yield from _fields(sub, child(path, f"<{pattern}>"), False)
    extra = node.get("additionalProperties")
    if isinstance(extra, Mapping):
        yield from _fields(extra, f"{path}.*", True)
    items = node.get("items")
    if isinstance(items, Mapping) and _has_fields(items):
        yield from _fields(items, f"{path}[]", True)
    for key in ("allOf", "oneOf", "anyOf"):
        for branch in node.get(key) or []:
            if isinstance(branch, Mapping):
                yield from _children(branch, path, optional or key != "allOf")


def _has_fields(node: Mapping[str, Any]) -> bool:
    return any(node.get(k) for k in ("properties", "items", "allOf", "oneOf", "anyOf"))


def _field_doc(node: Mapping[str, Any], path: str, required: bool) -> FieldDoc:
    constraints = [f"{key} {_word(node[key])}" for key in _CONSTRAINTS if key in node]
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
        return "one of " + ", ".join(json.dumps(v, ensure_ascii=False) for v in node["enum"])
    if "const" in node:
        return f"always {json.dumps(node['const'], ensure_ascii=False)}"
    for combinator in ("oneOf", "anyOf"):
        if isinstance(node.get(combinator), list):
            return " or ".join(kind_of(b) for b in node[combinator] if isinstance(b, Mapping))
    kind = node.get("type")
    if kind is None and isinstance(node.get("allOf"), list):
        said = [kind_of(b) for b in node["allOf"] if isinstance(b, Mapping)]
        return next((k for k in said if k != "any value"), "any value")
    if isinstance(kind, list):
        return " or ".join(str(k) for k in kind)
    if kind == "array" and isinstance(node.get("items"), Mapping):
        return f"array of {kind_of(node['items'])}"
    if kind == "object" and isinstance(node.get("additionalProperties"), Mapping):
        return f"map of {kind_of(node['additionalProperties'])}"
    return str(kind or "any value")


def _word(value: Any) -> str:
    """A schema value in JSON's words (null, true, {"a": 1}); a string as it is."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
