"""jsonnet-bundler: the locked versions of a repository's vendored Jsonnet, for provenance.

``jb install`` writes ``vendor/`` and ``jsonnetfile.lock.json`` beside ``jsonnetfile.json``.
Amber reads the lock files it finds in the config root and beside each ``vendor`` library
directory, and records what they pin (source and version) in every artifact's provenance; the
lock files' digests are part of the build cache key, so a changed lock is a changed build.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from amber.canonical import content_hash, sha256_tag
from amber.compiler.settings import Settings
from amber.errors import UsageError

LOCK_FILE = "jsonnetfile.lock.json"


def lock_files(settings: Settings) -> list[Path]:
    """The lock files that govern this repository's libraries, each once."""
    places = [settings.root] + [
        (settings.root / library).parent
        for library in settings.library
        if Path(library).name == "vendor"
    ]
    found = []
    for place in places:
        lock = (place / LOCK_FILE).resolve()
        if lock.is_file() and lock not in found:
            found.append(lock)
    return found


def dependencies(settings: Settings) -> tuple[list[dict[str, str]], str | None]:
    """What the lock files pin, sorted, and a digest of the lock files (None without any)."""
    locks = lock_files(settings)
    if not locks:
        return [], None
    pinned: list[dict[str, str]] = []
    digests = {}
    for lock in locks:
        data = lock.read_bytes()
        digests[settings.rel(lock)] = sha256_tag(data)
        pinned += [_pin(entry, settings.rel(lock)) for entry in _entries(data, settings.rel(lock))]
    pinned.sort(key=lambda pin: (pin["source"], pin["version"]))
    return pinned, content_hash(digests)


def _entries(data: bytes, rel: str) -> list[Any]:
    try:
        document = json.loads(data)
        entries = document.get("dependencies", []) if isinstance(document, dict) else None
    except ValueError:
        entries = None
    if not isinstance(entries, list):
        raise UsageError("not a jsonnet-bundler lock file (no dependencies list)", file=rel)
    return entries


def _pin(entry: Any, rel: str) -> dict[str, str]:
    source = entry.get("source", {}) if isinstance(entry, dict) else {}
    git, local = source.get("git"), source.get("local")
    if isinstance(git, dict):
        name = str(git.get("remote", "")) + (f"/{git['subdir']}" if git.get("subdir") else "")
    elif isinstance(local, dict):
        name = f"local:{local.get('directory', '')}"
    else:
        raise UsageError(f"a dependency without a git or local source: {entry!r}", file=rel)
    return {"source": name, "version": str(entry.get("version", ""))}
