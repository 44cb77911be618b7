"""What the site shows, read from the sources: leaves, schema fields, their kinds."""

from __future__ import annotations

from pathlib import Path

from amber.compiler.docs.gather import gather, kind_of, leaves, schema_fields
from amber.compiler.settings import load as load_settings


def test_leaves_stop_at_secrets_and_arrays_of_scalars() -> None:
    config = {
        "a": {"b": 1, "key": {"$secret": "env:K"}},
        "tags": ["x", "y"],
        "rows": [{"n": 1}, {"n": 2}],
        "empty": {},
    }
    assert leaves(config) == {
        "a.b": 1,
        "a.key": {"$secret": "env:K"},
        "tags": ["x", "y"],
        "rows[0].n": 1,
        "rows[1].n": 2,
        "empty": {},
    }


def test_schema_fields_by_path_with_what_a_reader_needs() -> None:
    schema = {
        "type": "object",
        "required": ["size"],
        "properties": {
            "size": {"type": "integer", "minimum": 1, "default": 10, "description": "How  many."},
            "mode": {"enum": ["fast", "slow"]},
            "hosts": {"type": "array", "items": {"type": "object", "properties": {"name": {}}}},
            "limits": {"type": "object", "additionalProperties": {"type": "number"}},
        },
    }
    fields = {f.path: f for f in schema_fields(schema)}
    assert list(fields) == [
        "size",
        "mode",
        "hosts",
        "hosts[]",
        "hosts[].name",
        "limits",
        "limits.*",
    ]
    size = fields["size"]
    assert (size.kind, size.required, size.default, size.constraints) == (
        "integer",
        True,
        10,
        ["minimum 1"],
    )
    assert size.description == "How many."
    assert not fields["mode"].required
    assert fields["mode"].kind == 'one of "fast", "slow"'
    assert fields["limits"].kind == "map of number"


def test_kinds_in_words() -> None:
    assert kind_of({"properties": {"$secret": {}}}) == "secret reference"
    assert kind_of({"type": ["string", "null"]}) == "string or null"
    assert kind_of({"oneOf": [{"type": "integer"}, {"const": True}]}) == "integer or always true"
    assert kind_of({"type": "array", "items": {"type": "string"}}) == "array of string"
    assert kind_of({}) == "any value"


def test_every_environment_value_knows_the_line_that_set_it(repo: Path) -> None:
    data = gather(load_settings(repo))
    prod = next(e for e in data.environments if e.name == "prod")
    file, line = prod.sources["spaced_repetition.batch_size"]
    assert file == "environments/prod.jsonnet"
    assert "batch_size: 500" in (repo / file).read_text().splitlines()[line - 1]
    assert "flags" not in prod.config and "adaptive_learning" in prod.flags
    assert data.versions == ["1.0.0", "1.1.0", "1.2.0"]
    assert [m.file for m in data.migrations] == [
        "migrations/0001_ai_provider.py",
        "migrations/0002_flags.py",
    ]


def test_composed_schemas_list_their_fields() -> None:
    schema = {
        "$defs": {"base": {"type": "object", "properties": {"name": {"type": "string"}}}},
        "allOf": [{"$ref": "#/$defs/base"}],
        "properties": {
            "auth": {
                "oneOf": [
                    {"type": "object", "properties": {"kind": {"const": "basic"}, "user": {}}},
                    {"type": "object", "properties": {"kind": {"const": "token"}}},
                ]
            },
            "labels": {"type": "object", "patternProperties": {"^x-": {"type": "string"}}},
            "level": {"enum": ["debug", None], "uniqueItems": True},
        },
    }
    fields = {f.path: f for f in schema_fields(schema)}
    assert list(fields) == [
        "auth",
        "auth.kind",
        "auth.user",
        "labels",
        'labels["<^x->"]',
        "level",
        "name",
    ]
    assert not fields["auth.kind"].required  # only in some branches
    assert fields["auth.kind"].kind == 'always "basic"'
    assert fields["level"].kind == 'one of "debug", null'
    assert fields["level"].constraints == ["uniqueItems true"]


def test_a_key_that_needs_quotes_is_quoted_in_its_path() -> None:
    schema = {"properties": {"a.b": {"type": "integer"}, "a": {"properties": {"b": {}}}}}
    assert [f.path for f in schema_fields(schema)] == ['["a.b"]', "a", "a.b"]
    assert leaves({"a.b": 1, "a": {"b": 2}}) == {'["a.b"]': 1, "a.b": 2}
