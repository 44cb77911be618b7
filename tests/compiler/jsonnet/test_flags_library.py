"""The Jsonnet flag library (`amber/flags.libsonnet`): what it writes, and what it refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import amber
from tests.support.repo import amber as run_amber

SCHEMA = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}


def repo_with(tmp_path: Path, flag: str) -> Path:
    repo = tmp_path / "repo"
    (repo / "config" / "schema").mkdir(parents=True)
    (repo / "config" / "schema" / "1.0.0.json").write_text(json.dumps(SCHEMA))
    (repo / "environments").mkdir()
    (repo / "environments" / "app.jsonnet").write_text(
        f"local flags = import 'amber/flags.libsonnet';\n{{ flags: {{ f: {flag} }} }}\n"
    )
    return repo


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        # a string would make `in` a substring test: "corp" would match "alice@corp.com"
        (
            "flags.experiment(variants={a: 'A', b: 'B'}, default='a', allow={b: 'alice@corp.com'})",
            'allow maps each variant to an array of targeting keys (strings), not {"b":"alice@corp.com"}',
        ),
        (
            "flags.experiment(variants={a: 'A', b: 'B'}, default='a', allow={c: ['x']})",
            'allow names ["c"]; variants are ["a", "b"]',
        ),
        (
            "flags.boolean(allow=[1, 2], rollout=10)",
            "allow must be an array of targeting keys (strings), not [1,2]",
        ),
        (
            "flags.boolean(rollout='10')",
            'rollout must be an integer percentage from 0 to 100, not "10"',
        ),
        ("flags.boolean(rollout=12.5)", "not 12.5"),
        (
            "flags.experiment(variants={a: 'A'}, default='a', weights=[['a', 1, 2]])",
            'weights must be [[variant, weight], ...], not [["a",1,2]]',
        ),
        ("flags.experiment(variants={a: 'A'}, default='z')", "default z is not a variant"),
    ],
)
def test_bad_arguments_are_refused_where_they_are_written(
    tmp_path: Path, flag: str, message: str
) -> None:
    repo = repo_with(tmp_path, flag)
    failed = run_amber("check", cwd=repo, check=1)
    assert failed.err.startswith("environments/app.jsonnet:2:"), failed.err
    assert message in failed.err


def test_an_experiment_pins_allowed_keys_and_splits_the_rest(tmp_path: Path) -> None:
    repo = repo_with(
        tmp_path,
        "flags.experiment(variants={a: 'A', b: 'B'}, default='a', "
        "weights=[['a'], ['b', 3]], allow={b: ['alice@corp.com']})",
    )
    run_amber("build", "-q", cwd=repo, check=0)
    cfg = amber.load(repo / "dist" / "app.json")
    assert cfg.to_dict()["flags"]["f"]["targeting"] == {
        "if": [
            {"in": [{"var": "targetingKey"}, ["alice@corp.com"]]},
            "b",
            {"fractional": [["a"], ["b", 3]]},
        ]
    }
    assert cfg.flag("f", {"targetingKey": "alice@corp.com"}, "?") == "B"
    answers = [cfg.flag("f", {"targetingKey": f"user-{i}"}, "?") for i in range(2000)]
    assert 1300 < answers.count("B") < 1700  # [a] weighs 1 against 3, as in flagd
