"""Amber as a pre-commit hook repository: a git snapshot of this checkout, as a consumer's
pre-commit clones it.  Used by the pre-commit tests and by the hook benchmark."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
# What pre-commit needs to install the hook: the package, its metadata and the hook manifest.
PARTS = ("compiler", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml")


def snapshot(target: Path) -> str:
    """Commit the hook's parts of this checkout into a new git repo at ``target``; its rev."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(
                source, target / part, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
            )
        else:
            shutil.copy(source, target / part)
    git = ["git", "-C", str(target), "-c", "user.name=amber", "-c", "user.email=amber@example.com"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "snapshot"]):
        subprocess.run([*git, *args], check=True, capture_output=True)
    done = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True)
    return done.stdout.strip()
