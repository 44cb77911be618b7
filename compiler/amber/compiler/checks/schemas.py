"""The JSON Schemas of a config repository: one file per version, ``config/schema/<semver>.json``.

Amber also lends schemas a repository can ``$ref`` by URN: ``urn:amber:secret`` (a secret
reference) and ``urn:amber:flags`` (a map of flagd flag definitions).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from amber import versions
from amber.compiler.settings import Settings
from amber.errors import ConfigError, Diagnostic, UsageError

BUILTIN_DIR = Path(__file__).parent / "builtin_schemas"
BUILTIN = {
    "urn:amber:secret": "secret.json",
    "urn:amber:flags": "flags.json",
}


@dataclass(frozen=True)
class Schema:
    version: versions.Version
    file: str  # repo-relative
    document: dict[str, Any]
    digest: str

    @property
    def version_text(self) -> str:
        return versions.text(self.version)


def schema_files(settings: Settings) -> dict[versions.Version, Path]:
    """Every ``<semver>.json`` in the schema directory, by version."""
    directory = settings.path(settings.schemas)
    if not directory.is_dir():
        raise UsageError(
            f"no schema directory {settings.schemas}/ "
            f"(add {settings.schemas}/1.0.0.json, or set 'schemas' in amber.toml)"
        )
    found: dict[versions.Version, Path] = {}
    for path in sorted(directory.glob("*.json")):
        # Other names are left alone: a schema may $ref shared definitions kept beside it.
        if versions.is_version(path.stem):
            if path.stem.count(".") != 2:  # 1.3.json and 1.3.0.json would be one version
                raise UsageError(
                    f"name schema files by their full version: {path.stem}.0.json",
                    file=settings.rel(path),
                )
            found[versions.parse(path.stem)] = path
    if not found:
        raise UsageError(f"no schema in {settings.schemas}/ (add {settings.schemas}/1.0.0.json)")
    return found


def read_json(path: Path, rel: str) -> Any:
    """Parse a JSON file; a syntax error is a diagnostic at its line and column."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read: {exc.strerror}", file=rel) from None
    return parse_json(data, rel)


def parse_json(data: bytes, rel: str) -> Any:
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        problem = Diagnostic(
            f"invalid JSON: {exc.msg}", file=rel, line=exc.lineno, col=exc.colno, code="json"
        )
        raise ConfigError([problem]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError([Diagnostic(f"not UTF-8: {exc.reason}", file=rel, code="json")]) from None


def load(settings: Settings, version: versions.Version) -> Schema:
    files = schema_files(settings)
    if version not in files:
        known = ", ".join(versions.text(v) for v in sorted(files))
        raise UsageError(f"no schema for version {versions.text(version)} (known: {known})")
    path = files[version]
    rel = settings.rel(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read: {exc.strerror}", file=rel) from None
    document = parse_json(data, rel)
    if not isinstance(document, dict):
        raise ConfigError([Diagnostic("a schema must be a JSON object", file=rel, code="schema")])
    _check_schema(document, rel)
    from amber.canonical import sha256_tag

    # The digest is of the very bytes parsed: provenance and the cache name what was used.
    return Schema(version=version, file=rel, document=document, digest=sha256_tag(data))


def _check_schema(document: dict[str, Any], rel: str) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(document)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(root)"
        problem = Diagnostic(
            f"not a valid JSON Schema at {where}: {exc.message}", file=rel, code="schema"
        )
        raise ConfigError([problem]) from None
    _check_refs(document, rel)


def _refs(node: Any, where: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    """Every ``$ref`` and where it is, outside subschemas with an ``$id`` of their own."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _refs(item, (*where, str(index)))
    elif isinstance(node, dict):
        if where and "$id" in node:
            return  # its refs resolve against another base: left to the validator
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield "/".join(where) or "(root)", ref
        for key, value in node.items():
            yield from _refs(value, (*where, key))


def _check_refs(document: dict[str, Any], rel: str) -> None:
    """Every reference resolves now, not in the middle of validating some config."""
    from referencing import Resource
    from referencing.exceptions import PointerToNowhere, Unresolvable
    from referencing.jsonschema import DRAFT202012

    root = Resource.from_contents(document, default_specification=DRAFT202012)
    base = document.get("$id") if isinstance(document.get("$id"), str) else ""
    resolver = _registry().with_resource(base, root).resolver(base_uri=base)
    problems = []
    for where, ref in _refs(document):
        try:
            resolver.lookup(ref)
        except PointerToNowhere:
            message = f"$ref {ref!r} at {where} points to nothing in this file"
        except Unresolvable:
            known = ", ".join(BUILTIN)
            message = (
                f"$ref {ref!r} at {where} cannot be resolved: refs may point into this file "
                f"or to {known} (nothing is fetched)"
            )
        else:
            continue
        problems.append(Diagnostic(message, file=rel, code="schema"))
    if problems:
        raise ConfigError(problems)


def _registry() -> Any:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    return Registry().with_resources(
        (urn, Resource.from_contents(builtin(urn), default_specification=DRAFT202012))
        for urn in BUILTIN
    )


@cache
def builtin(urn: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((BUILTIN_DIR / BUILTIN[urn]).read_text("utf-8"))
    return document


def _pointer(document: Any, fragment: str) -> Any:
    node = document
    for part in filter(None, fragment.lstrip("/").split("/")):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def resolve_refs(document: dict[str, Any]) -> dict[str, Any]:
    """The schema with every ``$ref`` (local, or to Amber's URNs) replaced by its target.

    A reference that leads back to itself (a recursive schema) is left as ``$ref``.
    Used to compare two versions of a schema, and to generate test configs from one.
    """

    def walk(node: Any, root: dict[str, Any], seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [walk(item, root, seen) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            base, _, fragment = ref.partition("#")
            target_root = root if not base else builtin(base) if base in BUILTIN else None
            key = f"{id(target_root)}#{fragment}"
            if target_root is not None and key not in seen:
                try:
                    target = _pointer(target_root, fragment)
                except (KeyError, IndexError, ValueError, TypeError):
                    target = None
                if isinstance(target, dict):
                    merged = {k: v for k, v in target.items() if k not in ("$id", "$schema")}
                    merged.update({k: v for k, v in node.items() if k != "$ref"})
                    return walk(merged, target_root, (*seen, key))
        return {key: walk(value, root, seen) for key, value in node.items()}

    resolved: dict[str, Any] = walk(document, document, ())
    resolved.pop("$defs", None)
    return resolved


def validator(schema: Schema) -> Any:
    """A Draft 2020-12 validator with format checks and Amber's URNs resolvable."""
    return document_validator(schema.document)


def document_validator(document: dict[str, Any]) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        document,
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
