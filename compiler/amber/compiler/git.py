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


def source(root: Path, outputs: tuple[Path, ...] = ()) -> dict[str, Any] | None:
    """``{"commit": sha, "dirty": bool}`` when ``root`` is in a git work tree with a commit.

    ``outputs`` (dist/, when teams commit their artifacts) do not make the source dirty: a
    build must not see its own previous output as a change, or no two builds would agree.
    """
    commit = _git(root, "rev-parse", "--verify", "-q", "HEAD")
    if not commit:
        return None
    excluded = []
    for output in outputs:
        try:
            excluded.append(f":(exclude){output.resolve().relative_to(root.resolve()).as_posix()}")
        except ValueError:  # outside the repository: git never sees it
            continue
    status = _git(root, "status", "--porcelain", "--untracked-files=no", "--", ".", *excluded)
    return {"commit": commit, "dirty": bool(status)}


def export(root: Path, ref: str, target: Path) -> Path:
    """The files of ``root`` at revision ``ref``, written under ``target``.

    Uses ``git archive``: the user's working tree, index and refs are left untouched.
    Returns the directory in ``target`` that corresponds to ``root``.
    """
    import io
    import tarfile

    from amber.errors import UsageError

    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None:
        raise UsageError(f"{root} is not in a git repository, so {ref!r} means nothing")
    prefix = _git(root, "rev-parse", "--show-prefix") or ""
    if _git(root, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}") is None:
        raise UsageError(f"unknown git revision {ref!r}")
    done = subprocess.run(
        ["git", "-C", top, "archive", "--format=tar", ref],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise UsageError(
            f"git archive {ref} failed: {done.stderr.decode(errors='replace').strip()}"
        )
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        try:
            archive.extractall(target, filter="data")
        except tarfile.FilterError as exc:  # a link out of the tree, or an absolute one
            where = exc.tarinfo.name
            raise UsageError(
                f"cannot check out {ref}: {where} is a link outside the repository "
                "(a committed link must stay inside it to be compiled from a revision)",
                file=where,
            ) from None
    return target / prefix
