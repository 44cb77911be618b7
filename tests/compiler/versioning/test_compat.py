"""The breaking-change guard: each kind of schema change and the version bump it needs."""

from __future__ import annotations

from typing import Any

import pytest

from amber.compiler.versioning.compat import compare

BASE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "size": {"type": "integer", "minimum": 1, "maximum": 100},
        "mode": {"enum": ["fast", "safe"]},
        "name": {"type": "string", "maxLength": 20},
        "tags": {"type": "array", "items": {"type": "string"}},
        "ratio": {"type": "number"},
    },
    "required": ["size", "mode"],
    "additionalProperties": False,
}


def changed(**edits: Any) -> dict[str, Any]:
    import copy

    schema = copy.deepcopy(BASE)
    for path, value in edits.items():
        node = schema
        *parents, last = path.split("__")
        for part in parents:
            node = node[part]
        if value is None:
            del node[last]
        else:
            node[last] = value
    return schema


@pytest.mark.parametrize(
    ("new", "level", "says"),
    [
        (changed(title="Config"), "patch", "title changed"),
        (changed(properties__size__description="how many"), "patch", "description changed"),
        (changed(properties__extra={"type": "string"}), "minor", "extra: field added"),
        (changed(properties__size__maximum=200), "minor", "maximum widened (100 -> 200)"),
        (changed(properties__size__minimum=None), "minor", "minimum 1 was removed"),
        (
            changed(properties__mode__enum=["fast", "safe", "eco"]),
            "minor",
            "values added to the enum",
        ),
        (changed(required=["size"]), "minor", "mode: no longer required"),
        (changed(properties__ratio__type="integer"), "major", "type narrowed (no longer number)"),
        (changed(properties__size__type="number"), "minor", "type widened"),
        (changed(properties__name=None), "major", "name: field removed (or renamed)"),
        (changed(properties__size__maximum=50), "major", "maximum narrowed (100 -> 50)"),
        (changed(properties__name__minLength=2), "major", "minLength narrowed (None -> 2)"),
        (
            changed(properties__mode__enum=["fast"]),
            "major",
            "values removed from the enum: ['safe']",
        ),
        (
            changed(required=["size", "mode", "name"]),
            "major",
            "name: now required, with no default",
        ),
        (
            changed(properties__tags__items={"type": "string", "pattern": "^[a-z]+$"}),
            "major",
            "tags[]: pattern changed",
        ),
        (changed(properties__tags__uniqueItems=True), "major", "uniqueItems added"),
        (changed(additionalProperties=None), "minor", "every constraint was removed"),
    ],
)
def test_change_kinds(new: dict[str, Any], level: str, says: str) -> None:
    changes = compare(BASE, new)
    assert changes.level == level
    messages = changes.breaking + changes.additions + changes.cosmetic
    assert any(says in m for m in messages), messages


def test_a_new_required_field_with_a_default_is_an_addition() -> None:
    new = changed(
        properties__region={"type": "string", "default": "eu"}, required=["size", "mode", "region"]
    )
    changes = compare(BASE, new)
    assert changes.level == "minor"
    assert "region: required, with a default" in changes.additions


def test_identical_schemas_need_nothing() -> None:
    assert compare(BASE, changed()).level == "none"
