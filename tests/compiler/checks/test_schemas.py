"""Schema files: found by version, parsed with located errors, checked as schemas, refs resolved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amber.compiler.checks import schemas
from amber.compiler.settings import Settings
from amber.errors import ConfigError, UsageError


def repo_with(tmp_path: Path, files: dict[str, str]) -> Settings:
    for name, text in files.items():
        path = tmp_path / "config" / "schema" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return Settings(root=tmp_path)


def test_versions_are_found_and_other_files_left_alone(tmp_path: Path) -> None:
    settings = repo_with(tmp_path, {"1.0.0.json": "{}", "1.10.0.json": "{}", "common.json": "{}"})
    assert sorted(schemas.schema_files(settings)) == [(1, 0, 0), (1, 10, 0)]


def test_short_version_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"full version: 1\.3\.0\.json"):
        schemas.schema_files(repo_with(tmp_path, {"1.3.json": "{}"}))


def test_invalid_json_is_located(tmp_path: Path) -> None:
    settings = repo_with(tmp_path, {"1.0.0.json": '{\n  "type": "object",\n}'})
    with pytest.raises(ConfigError) as raised:
        schemas.load(settings, (1, 0, 0))
    (problem,) = raised.value.problems
    assert (problem.file, problem.line, problem.code) == ("config/schema/1.0.0.json", 3, "json")


def test_a_document_that_is_not_a_schema_is_refused(tmp_path: Path) -> None:
    settings = repo_with(tmp_path, {"1.0.0.json": json.dumps({"type": "objekt"})})
    with pytest.raises(ConfigError, match="not a valid JSON Schema"):
        schemas.load(settings, (1, 0, 0))


def test_refs_must_resolve_when_the_schema_loads(tmp_path: Path) -> None:
    document = {"properties": {"a": {"$ref": "#/$defs/missing"}, "b": {"$ref": "urn:x"}}}
    settings = repo_with(tmp_path, {"1.0.0.json": json.dumps(document)})
    with pytest.raises(ConfigError) as raised:
        schemas.load(settings, (1, 0, 0))
    messages = [p.message for p in raised.value.problems]
    assert any("points to nothing" in m for m in messages)
    assert any("cannot be resolved" in m and "urn:amber:secret" in m for m in messages)


def test_amber_urns_resolve_and_validate(tmp_path: Path) -> None:
    document = {"properties": {"key": {"$ref": "urn:amber:secret"}}}
    settings = repo_with(tmp_path, {"1.0.0.json": json.dumps(document)})
    schema = schemas.load(settings, (1, 0, 0))
    validator = schemas.validator(schema)
    assert validator.is_valid({"key": {"$secret": "env:TOKEN"}})
    assert not validator.is_valid({"key": {"$secret": 3}})
    assert schema.digest.startswith("sha256:")


def test_resolve_refs_inlines_targets_and_keeps_recursion() -> None:
    document = {
        "$defs": {
            "n": {"type": "integer"},
            "tree": {"properties": {"kid": {"$ref": "#/$defs/tree"}}},
        },
        "properties": {
            "a": {"$ref": "#/$defs/n", "description": "x"},
            "t": {"$ref": "#/$defs/tree"},
        },
    }
    resolved = schemas.resolve_refs(document)
    assert resolved["properties"]["a"] == {"type": "integer", "description": "x"}
    assert resolved["properties"]["t"]["properties"]["kid"] == {"$ref": "#/$defs/tree"}
    assert "$defs" not in resolved
