"""Generated modules pass the real `mypy --strict` and `ruff check`, for the reference schema,
a schema of every construct the generator knows, and seeded random schemas."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

from amber.compiler.typed import module_text
from tests.support.repo import ROOT

CONSTRUCTS: dict[str, Any] = {
    "type": "object",
    "description": "Every construct, one field each. " + "A long description wraps. " * 6,
    "properties": {
        "text": {"type": "string", "description": 'A "quoted" \\ description.'},
        "count": {"type": "integer"},
        "ratio": {"type": "number"},
        "on": {"type": "boolean"},
        "nullable": {"type": ["string", "null"]},
        "level": {"enum": ["low", "medium", "high", None]},
        "answer": {"const": 42},
        "fractions": {"enum": [0.5, 1.5]},
        "odd_enum": {"enum": [{"a": 1}, "b"]},
        "tags": {"type": "array", "items": {"type": "string"}},
        "matrix": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
        "limits": {"type": "object", "additionalProperties": {"type": "integer"}},
        "regions": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {"url": {"type": "string"}, "weight": {"type": "number"}},
                "required": ["url"],
            },
        },
        "servers": {
            "type": "array",
            "items": {"type": "object", "properties": {"host": {"type": "string"}}},
        },
        "token": {"$ref": "urn:amber:secret"},
        "tokens": {"type": "object", "additionalProperties": {"$ref": "urn:amber:secret"}},
        "either": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "shapes": {
            "oneOf": [
                {"type": "object", "properties": {"r": {"type": "number"}}},
                {"type": "object", "properties": {"w": {"type": "number"}}},
            ]
        },
        "maybe_obj": {
            "anyOf": [
                {"type": "object", "properties": {"x": {"type": "integer"}}},
                {"type": "null"},
            ]
        },
        "merged": {
            "allOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
                {"properties": {"b": {"type": "integer"}}},
            ]
        },
        "pattern": {
            "type": "object",
            "patternProperties": {"^s_": {"type": "string"}, "^n_": {"type": "integer"}},
        },
        "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
        "anything": {},
        "elsewhere": {"$ref": "https://example.com/other.json"},
        "node": {"$ref": "#/$defs/node"},
        "class": {"type": "string"},
        "max-size": {"type": "integer"},
        "flags": {"$ref": "urn:amber:flags"},
    },
    "required": ["text", "count", "node", "flags"],
    "$defs": {
        "node": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
            },
            "required": ["name"],
        }
    },
}


def random_schema(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    leaves: list[dict[str, Any]] = [
        {"type": "string"},
        {"type": "integer"},
        {"type": "number"},
        {"type": "boolean"},
        {"enum": [rng.choice(["a", "b", "c"]), "d"]},
        {"type": ["integer", "null"]},
    ]
    if depth > 2 or rng.random() < 0.4:
        return rng.choice(leaves)
    kind = rng.randrange(3)
    if kind == 0:
        return {"type": "array", "items": random_schema(rng, depth + 1)}
    if kind == 1:
        return {"type": "object", "additionalProperties": random_schema(rng, depth + 1)}
    names = rng.sample(["alpha", "beta", "gamma", "delta", "if", "x-y"], rng.randrange(1, 5))
    properties = {name: random_schema(rng, depth + 1) for name in names}
    return {"type": "object", "properties": properties, "required": names[: len(names) // 2]}


def test_generated_modules_pass_mypy_strict_and_ruff(tmp_path: Path) -> None:
    reference = json.loads((ROOT / "config" / "schema" / "1.2.0.json").read_text())
    documents = {"reference": reference, "constructs": CONSTRUCTS}
    rng = random.Random(15)
    for index in range(8):
        schema = random_schema(rng)
        if "properties" not in schema:
            schema = {"type": "object", "properties": {"value": schema}, "required": ["value"]}
        documents[f"random{index}"] = schema
    for name, document in documents.items():
        (tmp_path / f"{name}_types.py").write_text(module_text(document, "1.0.0"))
    files = sorted(str(p) for p in tmp_path.glob("*_types.py"))
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *files],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"MYPYPATH": str(ROOT / "compiler"), "PATH": "/usr/bin:/bin"},
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    ruff = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--line-length",
            "100",
            "--select",
            "E,F,W,I,B,UP,SIM,RUF",
            *files,
        ],
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    formatted = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--isolated",
            "--line-length",
            "100",
            "--check",
            *files,
        ],
        capture_output=True,
        text=True,
    )
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
