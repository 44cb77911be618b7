"""Rules: plain functions, filtered by environment and schema version, every outcome reported."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from amber.compiler.checks import rules
from amber.errors import ConfigError
from amber.rules import rule

RULES = """
from amber.rules import rule

@rule("a.b")
def holds(config):
    "a.b must be positive"
    return config["a"]["b"] > 0

@rule("a.c", severity="warning", environments=["prod"])
def says_why(config):
    return config["a"]["c"] == "x" or f"c is {config['a']['c']!r}"

@rule("a", versions=">=2.0")
def only_in_two(config):
    "never holds"
    return False

@rule("a")
def crashes(config):
    return config["missing"]

@rule("a")
def returns_junk(config):
    return 3

def not_a_rule(config):
    return False
"""


def load(tmp_path: Path, text: str = RULES) -> tuple[list[rules.Rule], Path]:
    path = tmp_path / "rules.py"
    path.write_text(text)
    return rules.load(path, "config/rules.py"), path


def test_rules_load_in_order_with_their_metadata(tmp_path: Path) -> None:
    found, _ = load(tmp_path)
    assert [r.name for r in found] == [
        "holds",
        "says_why",
        "only_in_two",
        "crashes",
        "returns_junk",
    ]
    holds = found[0]
    assert (holds.path, holds.message, holds.severity, holds.line) == (
        "a.b",
        "a.b must be positive",
        "error",
        4,
    )
    assert found[1].environments == ("prod",)


def test_outcomes(tmp_path: Path) -> None:
    found, path = load(tmp_path)
    config = {"a": {"b": -1, "c": "y"}}
    failures = {f.rule.name: f for f in rules.failures(found, config, "prod", (1, 2, 0), path)}
    assert failures["holds"].message == "a.b must be positive"
    assert failures["says_why"].message == "c is 'y'"
    assert "only_in_two" not in failures  # version 1.2.0 is outside ">=2.0"
    crash = failures["crashes"].crashed
    assert crash is not None and crash.line == 20 and "KeyError: 'missing'" in crash.message
    assert "returned 3" in failures["returns_junk"].message
    in_dev = {f.rule.name for f in rules.failures(found, config, "dev", (2, 0, 0), path)}
    assert "says_why" not in in_dev and "only_in_two" in in_dev


def test_missing_rules_file_means_no_rules(tmp_path: Path) -> None:
    assert rules.load(tmp_path / "absent.py", "absent.py") == []


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("def broken(:\n    pass\n", "syntax error", 1),
        ("import nonexistent_module_xyz\n", "ModuleNotFoundError", 1),
        (
            'from amber.rules import rule\n@rule("a", versions="~1")\ndef f(c):\n    return True\n',
            "not a version clause",
            2,
        ),
    ],
)
def test_broken_rules_files_are_config_errors(
    tmp_path: Path, text: str, message: str, line: int
) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    (problem,) = caught.value.problems
    assert message in problem.message
    assert (problem.file, problem.line) == ("config/rules.py", line)


def test_severity_is_checked() -> None:
    with pytest.raises(ValueError, match="severity"):
        rule("a", severity="fatal")  # type: ignore[arg-type]


HELPED = """
from amber.rules import rule
from limits import LIMIT

@rule("a.b")
def under_the_limit(config):
    return config["a"]["b"] <= LIMIT or f"b is over {LIMIT}"
"""


def test_a_rules_file_imports_modules_beside_it_and_each_repo_gets_its_own(
    tmp_path: Path,
) -> None:
    outcomes = []
    for repo, limit in (("one", 1), ("two", 10)):
        directory = tmp_path / repo / "config"
        directory.mkdir(parents=True)
        (directory / "limits.py").write_text(f"LIMIT = {limit}\n")
        (directory / "rules.py").write_text(HELPED)
        found = rules.load(directory / "rules.py", "config/rules.py")
        failures = rules.failures(found, {"a": {"b": 5}}, "dev", (1, 0, 0), directory / "rules.py")
        outcomes.append([f.message for f in failures])
        assert "limits" not in sys.modules  # or the second repo would get the first one's
    assert outcomes == [["b is over 1"], []]


def test_load_names_the_helper_files_it_imported_namespace_packages_too(tmp_path: Path) -> None:
    path = tmp_path / "rules.py"
    path.write_text(HELPED + "from checks.deep import X\n")
    (tmp_path / "limits.py").write_text("LIMIT = 1\n")
    (tmp_path / "checks").mkdir()  # no __init__.py: a namespace package
    (tmp_path / "checks/deep.py").write_text("X = 1\n")
    (tmp_path / "unused.py").write_text("")  # never imported: not an input
    (tmp_path / "app").mkdir()  # a big tree beside the rules is not scanned
    (tmp_path / "app/__init__.py").write_text("")
    helpers: list[Path] = []
    rules.load(path, "rules.py", helpers)
    assert [p.relative_to(tmp_path.resolve()).as_posix() for p in helpers] == [
        "checks/deep.py",
        "limits.py",
    ]
    assert rules.digest(path) == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
