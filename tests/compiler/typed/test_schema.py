"""JSON Schema constructs as Python types: what each becomes, what becomes Any and why, and
(Hypothesis) every instance a generated schema accepts loads into the generated types."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amber.compiler.typed import module_text
from tests.support.schema_strategy import from_schema
from tests.support.typed import assert_matches, import_module, load_typed


def field_lines(sub: Any, required: bool = True) -> list[str]:
    """The generated lines of field ``f`` of a root with that one property."""
    document = {"type": "object", "properties": {"f": sub}, "required": ["f"] if required else []}
    text = module_text(document, "1.0.0")
    body = text.split("class AppConfig:", 1)[1].split("amber_config:", 1)[0]
    return [line.strip() for line in body.splitlines() if line.strip().startswith(("f:", "# Any"))]


@pytest.mark.parametrize(
    ("sub", "lines"),
    [
        ({"type": "string"}, ["f: str"]),
        ({"type": "integer"}, ["f: int"]),
        ({"type": "number"}, ["f: float"]),
        ({"type": ["string", "null"]}, ["f: str | None"]),
        ({"enum": ["a", "b"]}, ["f: F"]),
        ({"const": 3}, ["f: F"]),
        ({"type": "array", "items": {"type": "integer"}}, ["f: tuple[int, ...]"]),
        (
            {"type": "object", "additionalProperties": {"type": "number"}},
            ["f: Mapping[str, float]"],
        ),
        ({"$ref": "urn:amber:secret"}, ["f: amber.Secret"]),
        (
            {"type": "object", "properties": {"$secret": {"type": "string"}}},
            ["f: amber.Secret"],
        ),
        ({"oneOf": [{"type": "string"}, {"type": "integer"}]}, ["f: str | int"]),
        (
            {"anyOf": [{"type": "object", "properties": {"x": {}}}, {"type": "null"}]},
            ["f: F | None"],
        ),
        ({"type": "object", "properties": {"x": {"type": "string"}}}, ["f: F"]),
        ({}, ["# Any: the schema allows any value here", "f: Any"]),
        ({"enum": [1.5, 2.5]}, ["f: float"]),
        (
            {"enum": [{"a": 1}, "b"]},
            [
                "# Any: an enum of values Literal cannot hold (numbers with fractions, objects)",
                "f: Any",
            ],
        ),
        (
            {
                "oneOf": [
                    {"type": "object", "properties": {"a": {"type": "string"}}},
                    {"type": "object", "properties": {"b": {"type": "string"}}},
                ]
            },
            ["# Any: a oneOf of objects: which one a value is cannot be told apart", "f: Any"],
        ),
        (
            {
                "type": "object",
                "patternProperties": {"^s_": {"type": "string"}, "^n_": {"type": "integer"}},
            },
            ["# Any: patternProperties with several value types", "f: Mapping[str, Any]"],
        ),
        (
            {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
            ["# Any: a tuple of positions (prefixItems)", "f: tuple[Any, ...]"],
        ),
        (
            {"$ref": "https://example.com/other.json"},
            ["# Any: $ref 'https://example.com/other.json' is not in this schema", "f: Any"],
        ),
        (
            {"allOf": [{"type": "string"}, {"maxLength": 3}]},
            ["# Any: an allOf of other than objects", "f: Any"],
        ),
    ],
)
def test_constructs(sub: Any, lines: list[str]) -> None:
    assert field_lines(sub) == lines


def test_optional_fields_and_names_python_cannot_use() -> None:
    document = {
        "type": "object",
        "properties": {
            "class": {"type": "string", "description": "A keyword."},
            "max-size": {"type": "integer"},
            "2fa": {"type": "boolean"},
        },
        "required": ["class"],
    }
    text = module_text(document, "1.0.0")
    assert '    class_: str\n    """A keyword. (JSON key \'class\')"""\n' in text
    assert '    max_size: int | None = None\n    """(JSON key \'max-size\')"""\n' in text
    assert "    _2fa: bool | None = None\n" in text
    assert 'class_=v["class"],' in text and 'max_size=v.get("max-size"),' in text


def test_refs_share_one_class_and_recursion_terminates() -> None:
    document = {
        "type": "object",
        "properties": {
            "a": {"$ref": "#/$defs/node"},
            "b": {"$ref": "#/$defs/node"},
        },
        "required": ["a", "b"],
        "$defs": {
            "node": {
                "type": "object",
                "description": "A tree node.",
                "properties": {
                    "name": {"type": "string"},
                    "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
                },
                "required": ["name"],
            }
        },
    }
    text = module_text(document, "1.0.0")
    assert text.count("class Node:") == 1 and '"""A tree node."""' in text
    assert "    children: tuple[Node, ...] | None = None" in text
    assert "    a: Node\n    b: Node\n" in text


def test_output_is_deterministic() -> None:
    document = {
        "type": "object",
        "properties": {
            "x": {"enum": ["b", "a"]},
            "y": {"type": "object", "properties": {"z": {"type": "integer"}}},
        },
    }
    assert module_text(document, "2.1.0") == module_text(json.loads(json.dumps(document)), "2.1.0")


KEYS = st.one_of(
    st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True),
    st.sampled_from(["class", "max-size", "2fa", "amber_config", "from"]),
)
LEAVES = st.sampled_from(
    [
        {"type": "string"},
        {"type": "integer"},
        {"type": "number"},
        {"type": "boolean"},
        {"enum": ["red", "green", 3, None]},
        {"type": ["string", "null"]},
        {},
    ]
)


def objects(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(KEYS, children, min_size=1, max_size=4).flatmap(
        lambda properties: st.lists(st.sampled_from(sorted(properties)), unique=True).map(
            lambda required: {"type": "object", "properties": properties, "required": required}
        )
    )


SCHEMAS = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        objects(children),
        children.map(lambda c: {"type": "array", "items": c, "maxItems": 3}),
        children.map(lambda c: {"type": "object", "additionalProperties": c, "maxProperties": 3}),
        objects(children).map(lambda o: {**o, "type": ["object", "null"]}),
    ),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), objects(SCHEMAS))
def test_every_valid_instance_loads_into_the_types(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, schema: dict[str, Any]
) -> None:
    directory = tmp_path_factory.mktemp("typed")
    module = import_module(module_text(schema, "1.0.0"), directory)
    instance = data.draw(from_schema(schema))
    typed = load_typed(module, instance, directory, "1.0.0")
    assert_matches(typed, typed.amber_config.to_dict(), schema, schema)
    assert typed.amber_config.to_dict() == json.loads(json.dumps(instance))
