"""Schemas as other teams write them (found by a review on schemas the generator had never
seen): names Python mangles, shadows or refuses, names that collide, composed roots, recursive
non-objects, quotes and emoji.  The module compiles, passes `mypy --strict`, and loads every
value where it belongs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from amber.compiler.settings import load as load_settings
from amber.compiler.typed import generate, module_text
from amber.errors import UsageError
from tests.support.repo import ROOT
from tests.support.typed import import_module, load_typed

HOSTILE: dict[str, Any] = {
    "type": "object",
    "$defs": {
        "OAuth": {"type": "object", "properties": {"client_id": {"type": "string"}}},
        "base": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
        "mid": {
            "type": "object",
            "allOf": [{"$ref": "#/$defs/base"}],
            "properties": {"m": {"type": "integer"}},
        },
        "json": {
            "anyOf": [
                {"type": "string"},
                {"type": "number"},
                {"type": "array", "items": {"$ref": "#/$defs/json"}},
            ]
        },
    },
    "properties": {
        "__comment": {"type": "string"},
        "名前": {"type": "string"},
        "地域": {"type": "string"},
        "none": {"type": "object", "properties": {"x": {"type": "integer"}}},
        "literal": {"enum": ["a", "b"]},
        "build": {"type": "object", "properties": {"flags": {"enum": ["-O2", "-g"]}}},
        "sso": {"$ref": "#/$defs/OAuth"},
        "oauth": {"type": "object", "properties": {"issuer": {"type": "string"}}},
        "env": {"type": "string", "description": 'Name of the env, e.g. "prod"'},
        "fruit": {"enum": ["🍎", "🍌"]},
        "labels": {
            "anyOf": [
                {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
                {"type": "object", "additionalProperties": {"type": ["integer", "null"]}},
            ]
        },
        "amber": {"type": "string"},
        "field": {"type": "string"},
        "limits": {
            "type": "object",
            "properties": {"float": {"type": "number"}, "max": {"type": "number"}},
        },
        "leaf": {"allOf": [{"$ref": "#/$defs/mid"}, {"properties": {"l": {"type": "boolean"}}}]},
        "max-size": {"type": "integer"},
        "max_size": {"type": "integer"},
        "doc": {"$ref": "#/$defs/json"},
    },
}

CONFIG: dict[str, Any] = {
    "__comment": "c",
    "名前": "n",
    "地域": "r",
    "none": {"x": 1},
    "literal": "a",
    "build": {"flags": "-g"},
    "sso": {"client_id": "id"},
    "oauth": {"issuer": "iss"},
    "env": "prod",
    "fruit": "🍎",
    "labels": {"a": None, "b": "x"},
    "amber": "am",
    "field": "f",
    "limits": {"float": 1.5, "max": 2.5},
    "leaf": {"id": "i", "m": 3, "l": True},
    "max-size": 1,
    "max_size": 2,
    "doc": ["a", 1, ["b"]],
}


def test_the_module_passes_mypy_strict_and_loads_every_value(tmp_path: Path) -> None:
    text = module_text(HOSTILE, "1.0.0")
    (tmp_path / "hostile_types.py").write_text(text)
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "hostile_types.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"MYPYPATH": str(ROOT / "compiler"), "PATH": "/usr/bin:/bin"},
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    cfg = load_typed(import_module(text, tmp_path), CONFIG, tmp_path, "1.0.0")
    assert (cfg.comment_, cfg.名前, cfg.地域, cfg.none.x, cfg.literal) == ("c", "n", "r", 1, "a")
    assert (cfg.build.flags, cfg.sso.client_id, cfg.oauth.issuer) == ("-g", "id", "iss")
    assert (cfg.env, cfg.fruit, cfg.amber_, cfg.field_) == ("prod", "🍎", "am", "f")
    assert dict(cfg.labels) == {"a": None, "b": "x"}
    assert (cfg.limits.float_, cfg.limits.max) == (1.5, 2.5)
    assert (cfg.leaf.id, cfg.leaf.m, cfg.leaf.l) == ("i", 3, True)
    # the key that is a name already keeps it, though a dashed one comes first
    assert (cfg.max_size, cfg.max_size_2) == (2, 1)
    assert cfg.doc == ("a", 1, ("b",))
    assert '"""Name of the env, e.g. "prod\\""""' in text
    assert 'Literal["🍎", "🍌"]' in text


def test_a_root_made_of_its_defs_has_their_fields(tmp_path: Path) -> None:
    config = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
    by_ref = {"$defs": {"config": config}, "$ref": "#/$defs/config"}
    by_all_of = {"$defs": {"config": config}, "allOf": [{"$ref": "#/$defs/config"}]}
    for document in (by_ref, by_all_of):
        module = import_module(module_text(document, "1.0.0"), tmp_path)
        assert load_typed(module, {"name": "x"}, tmp_path, "1.0.0").name == "x"


@pytest.mark.parametrize("name", ["None", "Flags", "Any", "Literal", "True"])
def test_a_root_name_the_module_uses_is_refused(name: str, repo: Path) -> None:
    with pytest.raises(UsageError, match=r"choose another|not a class name"):
        generate(load_settings(repo), None, name)
