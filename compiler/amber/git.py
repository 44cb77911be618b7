"""What git says about the source: the commit an artifact was built from."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:  # no git on this machine
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def source(root: Path) -> dict[str, Any] | None:
    """``{"commit": sha, "dirty": bool}`` when ``root`` is in a git work tree with a commit."""
    commit = _git(root, "rev-parse", "--verify", "-q", "HEAD")
    if not commit:
        return None
    status = _git(root, "status", "--porcelain", "--untracked-files=no", "--", ".")
    return {"commit": commit, "dirty": bool(status)}
