"""Lint and types are part of the test suite: ruff and `mypy --strict` on the package."""

from __future__ import annotations

import subprocess
import sys

from tests.support.repo import ROOT

SOURCES = [
    p
    for p in ("compiler", "tests", "bench", "config", "migrations", "examples", "docs")
    if (ROOT / p).is_dir()
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check() -> None:
    done = run("ruff", "check", *SOURCES)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format() -> None:
    done = run("ruff", "format", "--check", *SOURCES)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict() -> None:
    done = run("mypy", "--strict", "-p", "amber")
    assert done.returncode == 0, done.stdout + done.stderr
