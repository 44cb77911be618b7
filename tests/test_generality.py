"""Amber is not the reference config: another team's repository, with its own conventions."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from conftest import ROOT, amber

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "region": {"enum": ["eu-west-1", "us-east-1"]},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "limits": {
            "type": "object",
            "properties": {
                "daily": {"type": "integer", "minimum": 0},
                "single": {"type": "integer", "minimum": 0},
            },
            "required": ["daily", "single"],
            "additionalProperties": False,
        },
        "psp_token": {"$ref": "urn:amber:secret"},
    },
    "required": ["region", "currency", "limits", "psp_token"],
    "additionalProperties": False,
}
RULES = """
from amber.rules import rule

@rule("limits.single")
def single_within_daily(config):
    "a single payment cannot exceed the daily limit"
    return config["limits"]["single"] <= config["limits"]["daily"]
"""


def payments_repo(root: Path) -> Path:
    files = {
        "amber.toml": (
            'environments = "deploy"\nlibrary = ["jsonnet", "vendor"]\nschemas = "schemas"\n'
            'rules = "checks/payments_rules.py"\nout = "artifacts"\n[ext_vars]\nregion = "eu-west-1"\n'
        ),
        "schemas/3.1.0.json": json.dumps(SCHEMA, indent=2),
        "schemas/3.0.0.json": json.dumps({**SCHEMA, "required": ["region"]}),
        "checks/payments_rules.py": RULES,
        "vendor/money.libsonnet": "{ cents(x):: x * 100 }",
        "jsonnet/payments.libsonnet": (
            "local money = import 'money.libsonnet';\n"
            "{\n  region: std.extVar('region'),\n  currency: 'EUR',\n"
            "  limits: { daily: money.cents(5000), single: money.cents(1000) },\n"
            "  psp_token: { '$secret': 'file:/run/secrets/psp' },\n}\n"
        ),
        "deploy/eu-live.jsonnet": "(import 'payments.libsonnet') + { limits+: { daily: 1000000 } }\n",
        "deploy/eu-sandbox.jsonnet": "(import 'payments.libsonnet') + { currency: 'XTS' }\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_another_repository_builds_with_its_own_conventions(tmp_path: Path) -> None:
    repo = payments_repo(tmp_path / "payments")
    amber("build", "-q", cwd=repo, check=0)
    built = sorted(p.name for p in (repo / "artifacts").iterdir())
    assert built == ["eu-live.json", "eu-sandbox.json"]
    live = json.loads((repo / "artifacts" / "eu-live.json").read_bytes())
    assert live["schema_version"] == "3.1.0"  # the newest schema is the current version
    assert live["config"] == {
        "currency": "EUR",
        "limits": {"daily": 1000000, "single": 100000},
        "psp_token": {"$secret": "file:/run/secrets/psp"},
        "region": "eu-west-1",
    }
    assert "vendor/money.libsonnet" in live["provenance"]["inputs"]


def test_another_repository_reports_its_own_rules(tmp_path: Path) -> None:
    repo = payments_repo(tmp_path / "payments")
    (repo / "deploy" / "eu-live.jsonnet").write_text(
        "(import 'payments.libsonnet') + {\n  limits+: { daily: 10 },\n  currency: 'euro',\n}\n"
    )
    run = amber("check", cwd=repo, check=1)
    assert run.err.splitlines() == [
        "deploy/eu-live.jsonnet:3: error: eu-live currency: 'euro' does not match '^[A-Z]{3}$' "
        "[schema:pattern]",
        "jsonnet/payments.libsonnet:5: error: eu-live limits.single: a single payment cannot "
        "exceed the daily limit [single_within_daily]",
    ]


def test_the_compiler_knows_no_reference_field_names() -> None:
    reference_names = set()
    schema = json.loads((ROOT / "config" / "schema" / "1.2.0.json").read_text())
    for section in schema["$defs"].values():
        reference_names.update(section.get("properties", {}))
    reference_names.update(schema["properties"])
    # Words that are also the compiler's own vocabulary (flags, diagnostics, ...).
    reference_names -= {"flags", "environment", "debug", "enabled", "metadata", "diagnostic"}
    words: set[str] = set()
    for module in (ROOT / "compiler" / "amber").rglob("*.py"):
        words |= code_words(module.read_text())
    assert words, "found no code to search"
    assert reference_names & words == set()


def code_words(source: str) -> set[str]:
    """Identifiers and string constants of a module, without docstrings (examples live there)."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    words: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            words.add(node.id)
        elif isinstance(node, ast.Attribute):
            words.add(node.attr)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            words.update(re.findall(r"[A-Za-z_]+", node.value))
    return words
