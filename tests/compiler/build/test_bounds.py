"""Bounded builds: a program that wants too much memory, or work that never ends in any stage
(evaluation, a rule, the scanner), fails its own environment; the others are built."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.repo import amber

BIG = "(import 'lib/base.libsonnet') + { note: std.length(std.repeat('x', 100 * 1024 * 1024)) }\n"
LOOPING_RULE = """
from amber.rules import rule

@rule("debug", environments=["staging"])
def never_ends(config):
    while True:
        pass
"""


def settings(repo: Path, text: str) -> None:
    with (repo / "pyproject.toml").open("a") as handle:
        handle.write(text)


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_program_that_wants_too_much_memory_fails_alone(repo: Path, jobs: str) -> None:
    (repo / "environments" / "staging.jsonnet").write_text(BIG)
    settings(repo, "max_memory = 256\n")
    done = amber("build", "--no-cache", "-j", jobs, cwd=repo, check=1)
    assert errors(done.err) == [
        "environments/staging.jsonnet: error: staging: compiling needed more than 256 MiB "
        "(max_memory setting): a value too big for memory? [memory]"
    ]
    assert "goroutine" not in done.err
    assert sorted(p.name for p in (repo / "dist").iterdir()) == ["dev.json", "prod.json"]


def test_a_rule_that_never_ends_is_stopped_by_the_timeout(repo: Path) -> None:
    with (repo / "config" / "rules.py").open("a") as handle:
        handle.write(LOOPING_RULE)
    settings(repo, "timeout = 2\n")
    done = amber("build", "-j", "2", cwd=repo, check=1)
    assert errors(done.err) == [
        "environments/staging.jsonnet: error: staging: evaluation took longer than 2 s "
        "(timeout setting): runaway computation? [timeout]"
    ]
    assert sorted(p.name for p in (repo / "dist").iterdir()) == ["dev.json", "prod.json"]
    again = amber("build", "-j", "2", cwd=repo, check=1)  # a timeout is never cached
    assert errors(again.err) == errors(done.err)


@pytest.mark.parametrize("value", ["32", "-1", "true"])
def test_the_memory_limit_is_a_sane_number(repo: Path, value: str) -> None:
    settings(repo, f"max_memory = {value}\n")
    done = amber("check", cwd=repo, check=2)
    assert "setting 'max_memory' must be MiB from 64" in done.err
