"""Config repositories for tests: copies of the reference one, and a real `amber` subprocess."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What a config repository consists of; the rest of this checkout is Amber itself.
REFERENCE_PARTS = ("config", "environments", "migrations")
REFERENCE_SETTINGS = '[tool.amber]\nengine = "go"\nfractional = "v3"\n'


def copy_reference(target: Path) -> Path:
    """A copy of the reference config repository, without git and without dist/."""
    target.mkdir(parents=True, exist_ok=True)
    for part in REFERENCE_PARTS:
        source = ROOT / part
        if source.exists():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
    (target / "pyproject.toml").write_text(REFERENCE_SETTINGS)
    return target


@dataclass
class Run:
    code: int
    out: str
    err: str


# One build cache per test process: tests never see entries from another run.
CACHE = tempfile.mkdtemp(prefix="amber-test-cache-")
atexit.register(shutil.rmtree, CACHE, ignore_errors=True)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AMBER_", "SOURCE_DATE"))}
    env["AMBER_CACHE_DIR"] = CACHE
    env.update(extra)
    return env


def amber(
    *args: str, cwd: Path, env: dict[str, str] | None = None, check: int | None = None
) -> Run:
    """Run the real `amber` command in a subprocess."""
    done = subprocess.run(
        [sys.executable, "-m", "amber", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env if env is not None else clean_env(),
        timeout=300,
    )
    result = Run(done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    if check is not None:
        assert result.code == check, f"exit {result.code}, expected {check}\n{result.err}"
    return result
