"""The directories an evaluation may read: the config root, the library directories the settings
declare, and Amber's own Jsonnet library.

A library directory may lie outside the config root (a monorepo's ``vendor/`` at the top, the
config two folders down: ``library = ["config", "../../vendor"]``), but inside the Git work
tree that holds the config root, or inside the root itself where there is no work tree: what
the team declared, not one folder, and never the rest of the machine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from amber.compiler.jsonnet.confined import inside
from amber.compiler.settings import Settings
from amber.errors import UsageError

# Amber's own Jsonnet library (``import 'amber/flags.libsonnet'``), always on the import path.
# Files in it are named with this prefix, which no repository path can start with.
BUNDLED_PREFIX = "<amber>/"
BUNDLED_DIR = Path(__file__).parent / "library"


@dataclass(frozen=True)
class Root:
    """A directory reads may come from: as the settings name it, and where it really is."""

    path: str  # absolute, normalized, as written (symlinks not resolved)
    real: str  # resolved


def work_tree(start: Path) -> Path | None:
    """The Git work tree holding ``start``, found by its ``.git``, without running git."""
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return None


def roots(settings: Settings) -> list[Root]:
    """The config root first, then the library directories outside it."""
    root = os.path.normpath(os.path.abspath(settings.root))
    found = [Root(root, os.path.realpath(root))]
    fence = work_tree(Path(found[0].real)) or Path(found[0].real)
    for library in settings.library:
        path = os.path.normpath(os.path.join(root, library))
        real = os.path.realpath(path)
        if inside(path, [root]) and inside(real, [found[0].real]):
            continue  # under the config root: already readable
        if not inside(real, [str(fence)]):
            where = "Git work tree" if fence != Path(found[0].real) else "config root"
            raise UsageError(
                f"library directory {library} is outside the {where} ({fence}): imports may "
                "read the repository and the libraries it keeps, nothing else",
                file=settings.source,
            )
        found.append(Root(path, real))
    return found


def bundled() -> Root:
    path = os.path.normpath(os.path.abspath(BUNDLED_DIR))
    return Root(path, os.path.realpath(path))
