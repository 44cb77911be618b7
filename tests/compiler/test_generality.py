"""Amber is not the reference config: another team's repository, with its own conventions."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from tests.support.repo import ROOT, amber


def schema(version: str) -> dict[str, object]:
    """The payments team's schema history: a rename in 2.0.0, an optional field in 2.1.0."""
    token = "psp_key" if version == "1.0.0" else "psp_token"
    properties: dict[str, object] = {
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
        token: {"$ref": "urn:amber:secret"},
    }
    if version == "2.1.0":
        properties["statement_descriptor"] = {"type": "string", "maxLength": 22}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "required": ["region", "currency", "limits", token],
        "additionalProperties": False,
    }


RENAME = '''"""Rename psp_key to psp_token."""
FROM = "1.0.0"
TO = "2.0.0"
DROPS = ()


def up(config):
    renamed = {k: v for k, v in config.items() if k != "psp_key"}
    renamed["psp_token"] = config["psp_key"]
    return renamed


def down(config):
    renamed = {k: v for k, v in config.items() if k != "psp_token"}
    renamed["psp_key"] = config["psp_token"]
    return renamed
'''
DESCRIPTOR = '''"""Add an optional statement descriptor, shown on card statements."""
FROM = "2.0.0"
TO = "2.1.0"
DROPS = ("statement_descriptor",)


def up(config):
    return dict(config)


def down(config):
    return {k: v for k, v in config.items() if k != "statement_descriptor"}
'''
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
            'rules = "checks/payments_rules.py"\nmigrations = "schema-migrations"\n'
            'out = "artifacts"\n[ext_vars]\nregion = "eu-west-1"\n'
        ),
        **{
            f"schemas/{v}.json": json.dumps(schema(v), indent=2)
            for v in ("1.0.0", "2.0.0", "2.1.0")
        },
        "schema-migrations/001_rename_psp_key.py": RENAME,
        "schema-migrations/002_statement_descriptor.py": DESCRIPTOR,
        "checks/payments_rules.py": RULES,
        "vendor/money.libsonnet": "{ cents(x):: x * 100 }",
        "jsonnet/payments.libsonnet": (
            "local money = import 'money.libsonnet';\n"
            "{\n  region: std.extVar('region'),\n  currency: 'EUR',\n"
            "  limits: { daily: money.cents(5000), single: money.cents(1000) },\n"
            "  psp_token: { '$secret': 'file:/run/secrets/psp' },\n}\n"
        ),
        "deploy/eu-live.jsonnet": "(import 'payments.libsonnet') + { limits+: { daily: 1000000 }, statement_descriptor: 'LEARNAPP' }\n",
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
    assert live["schema_version"] == "2.1.0"  # the newest schema is the current version
    assert live["config"] == {
        "currency": "EUR",
        "limits": {"daily": 1000000, "single": 100000},
        "psp_token": {"$secret": "file:/run/secrets/psp"},
        "region": "eu-west-1",
        "statement_descriptor": "LEARNAPP",
    }
    assert "vendor/money.libsonnet" in live["provenance"]["inputs"]


def test_another_repository_reports_its_own_rules(tmp_path: Path) -> None:
    repo = payments_repo(tmp_path / "payments")
    (repo / "deploy" / "eu-live.jsonnet").write_text(
        "(import 'payments.libsonnet') + {\n  limits+: { daily: 10 },\n  currency: 'euro',\n}\n"
    )
    amber("check", "-q", "eu-sandbox", cwd=repo, check=0)
    run = amber("check", cwd=repo, check=1)
    assert run.err.splitlines() == [
        "deploy/eu-live.jsonnet:3: error: eu-live currency: 'euro' does not match '^[A-Z]{3}$' "
        "[schema:pattern]",
        "jsonnet/payments.libsonnet:5: error: eu-live limits.single: a single payment cannot "
        "exceed the daily limit [single_within_daily]",
    ]


def test_another_repository_migrates_up_and_down(tmp_path: Path) -> None:
    import amber as runtime

    repo = payments_repo(tmp_path / "payments")
    amber("check", "--version", "1.0.0", cwd=repo, check=0)
    amber("build", "eu-live", "--version", "1.0", "--version", "2.0.0", "-q", cwd=repo, check=0)
    old = json.loads((repo / "artifacts" / "eu-live@1.0.0.json").read_bytes())
    assert old["config"]["psp_key"] == {"$secret": "file:/run/secrets/psp"}
    assert "psp_token" not in old["config"] and "statement_descriptor" not in old["config"]
    assert old["provenance"]["migrated_from"]["schema_version"] == "2.1.0"
    middle = json.loads((repo / "artifacts" / "eu-live@2.0.0.json").read_bytes())
    assert "psp_token" in middle["config"] and "statement_descriptor" not in middle["config"]
    # an old artifact brought forward: the rename is undone, the dropped field stays dropped
    amber(
        "migrate",
        "artifacts/eu-live@1.0.0.json",
        "--to",
        "2.1.0",
        "-o",
        "up.json",
        "-q",
        cwd=repo,
        check=0,
    )
    up = runtime.load(repo / "up.json", expect="2.1", secrets="lazy")
    assert up["psp_token"].reference == "file:/run/secrets/psp"
    assert "statement_descriptor" not in up
    listing = amber("migrations", cwd=repo, check=0).out
    assert "1.0.0 -> 2.0.0  schema-migrations/001_rename_psp_key.py  (down: lossless)" in listing
    assert "(down: lossy, drops statement_descriptor)" in listing


def test_another_repository_guards_its_version_numbers(tmp_path: Path) -> None:
    repo = payments_repo(tmp_path / "payments")
    # Renaming a field is breaking: as 1.1.0 instead of 2.0.0 the guard refuses it.
    (repo / "schemas" / "2.0.0.json").rename(repo / "schemas" / "1.1.0.json")
    migration = repo / "schema-migrations" / "001_rename_psp_key.py"
    migration.write_text(migration.read_text().replace('TO = "2.0.0"', 'TO = "1.1.0"'))
    descriptor = repo / "schema-migrations" / "002_statement_descriptor.py"
    descriptor.write_text(descriptor.read_text().replace('FROM = "2.0.0"', 'FROM = "1.1.0"'))
    run = amber("check", "eu-sandbox", cwd=repo, check=1)
    assert run.err.splitlines()[0] == (
        "schemas/1.1.0.json: error: 1.1.0 makes breaking changes to 1.0.0 (psp_key: field removed "
        "(or renamed); psp_token: now required, with no default), so it must be a new major "
        "version, e.g. 2.0.0 [schema-version]"
    )


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
