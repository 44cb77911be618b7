"""A directory store's history: one JSON line per pointer move, appended before the move.

The history is the store's truth: a publish or a rollback writes its line (and fsyncs it)
before it moves the pointer, so after a crash the pointer can be brought to what the history
says.  A crash in the middle of a write leaves a torn last line (no newline); it is cut off
before anything is appended, never appended onto.  Callers hold the store's lock.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from amber.errors import UsageError
from amber.publish.failpoints import failpoint

FILE = "history.jsonl"


def path(root: Path, environment: str) -> Path:
    return root / environment / FILE


def read(root: Path, environment: str) -> list[dict[str, Any]]:
    """Every entry, oldest first; a torn last line (a crash's) is left out."""
    try:
        data = path(root, environment).read_bytes()
    except FileNotFoundError:
        return []
    lines = data.split(b"\n")
    entries = []
    for number, line in enumerate(lines[:-1], start=1):  # the last piece has no newline
        entry = _parse(line)
        if entry is None:
            where = f"{path(root, environment)}:{number}"
            text = line.decode("utf-8", errors="replace")[:80]
            raise UsageError(f"corrupt history entry: {text!r}", file=where)
        entries.append(entry)
    return entries


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    if isinstance(entry, dict) and all(
        isinstance(entry.get(key), str) for key in ("action", "pointer", "to")
    ):
        return entry
    return None


def repair(root: Path, environment: str) -> bool:
    """Cut off a torn last line; True if there was one."""
    file = path(root, environment)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        return False
    if not data or data.endswith(b"\n"):
        return False
    os.truncate(file, data.rfind(b"\n") + 1)
    _fsync(file)
    return True


def append(root: Path, environment: str, entry: dict[str, Any]) -> None:
    """Append one entry durably: written and fsynced before the caller moves anything."""
    line = (json.dumps(entry, sort_keys=True) + "\n").encode()
    file = path(root, environment)
    file.parent.mkdir(parents=True, exist_ok=True)
    with open(file, "ab") as handle:
        if failpoint("history-torn"):
            handle.write(line[: len(line) // 2])
            handle.flush()
            os._exit(99)
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())
    failpoint("history-written", exit=True)


def _fsync(file: Path) -> None:
    fd = os.open(file, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
