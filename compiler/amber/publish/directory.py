"""A directory store of published artifacts: immutable objects, moving pointers, a history.

    DIR/objects/sha256/<hex>.json     each artifact, named by the sha256 of its bytes
    DIR/<env>/<major>.<minor>         a symlink to the object apps with ``expect`` MAJOR.MINOR load
    DIR/<env>/history.jsonl           every pointer move: what, from, to, source commit, when

An app loads ``amber.load("DIR/prod/1.2")`` (or watches it): the pointer is a symlink, replaced
atomically, so a reader sees the old object or the new one, each complete.  Objects are written
(temp file, fsync, rename) before any pointer names them, so a crash at any step leaves nothing
half-written pointed at.  Pointer moves and history appends happen under an exclusive lock, so
publishers running at once serialize cleanly and the history misses no move.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from amber import versions
from amber.atomic import fsync_directory, write_bytes
from amber.canonical import sha256_tag
from amber.errors import UsageError
from amber.publish.verify import verify


@dataclass(frozen=True)
class Published:
    environment: str
    pointer: str  # "1.2"
    object: str  # "sha256:<hex>" of the artifact bytes
    previous: str | None
    moved: bool
    repaired: bool = False  # the stored copy of these bytes was damaged and is rewritten


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def object_path(root: Path, digest: str) -> Path:
    return root / "objects" / "sha256" / f"{digest.removeprefix('sha256:')}.json"


def current(root: Path, environment: str, pointer: str) -> str | None:
    """The object a pointer names, or None."""
    link = root / environment / pointer
    try:
        target = os.readlink(link)
    except OSError:
        return None
    return "sha256:" + Path(target).stem


def _append(root: Path, environment: str, entry: dict[str, Any]) -> None:
    history = root / environment / "history.jsonl"
    with open(history, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _move(root: Path, environment: str, pointer: str, digest: str) -> None:
    """Point ``environment/pointer`` at an object: a new symlink renamed over the old one."""
    directory = root / environment
    directory.mkdir(parents=True, exist_ok=True)
    target = os.path.relpath(object_path(root, digest), directory)
    temp = directory / f".{pointer}.{os.getpid()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    os.symlink(target, temp)
    os.replace(temp, directory / pointer)
    fsync_directory(directory)


def _recover(root: Path, environment: str, pointer: str) -> None:
    """After a crash between a pointer move and its history line, write the missing line."""
    now = current(root, environment, pointer)
    entries = [e for e in history(root, environment) if e.get("pointer") == pointer]
    last = entries[-1]["to"] if entries else None
    if now is not None and now != last:
        _append(
            root,
            environment,
            {
                "action": "recovered",
                "pointer": pointer,
                "from": last,
                "to": now,
                "at": _now(),
                "commit": None,
            },
        )


def publish(root: Path, data: bytes, source: str) -> Published:
    """Store an artifact and point its environment's version at it."""
    config = verify(data, source)
    digest = sha256_tag(data)
    target = object_path(root, digest)
    repaired = False
    try:
        # Content-addressed: the same bytes are written once, unless the copy went bad (a
        # pointer is a symlink, and `cp x prod/1.2` writes through it into the object).
        intact = sha256_tag(target.read_bytes()) == digest
    except FileNotFoundError:
        intact = False
    else:
        repaired = not intact
    if not intact:
        write_bytes(target, data, mode=0o444)
    pointer = versions.major_minor(config.schema_version)
    with _locked(root):
        _recover(root, config.environment, pointer)
        previous = current(root, config.environment, pointer)
        if previous == digest:
            return Published(config.environment, pointer, digest, previous, False, repaired)
        _move(root, config.environment, pointer, digest)
        git = config.provenance.get("git")
        _append(
            root,
            config.environment,
            {
                "action": "publish",
                "pointer": pointer,
                "from": previous,
                "to": digest,
                "content_hash": config.content_hash,
                "schema_version": config.schema_version,
                "commit": git.get("commit") if isinstance(git, dict) else None,
                "at": _now(),
            },
        )
    return Published(config.environment, pointer, digest, previous, moved=True)


def history(root: Path, environment: str) -> list[dict[str, Any]]:
    path = root / environment / "history.jsonl"
    try:
        lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []
    entries = []
    for number, line in enumerate(lines, start=1):
        try:
            entry = json.loads(line)
        except ValueError:
            entry = None
        if isinstance(entry, dict) and all(
            isinstance(entry.get(k), str) for k in ("action", "pointer", "to")
        ):
            entries.append(entry)
        elif number < len(lines):  # a torn last line is what a crash leaves; not this
            raise UsageError(f"corrupt history entry: {line[:80]!r}", file=f"{path}:{number}")
    return entries


def pointers(root: Path, environment: str) -> list[str]:
    directory = root / environment
    if not directory.is_dir():
        return []
    return sorted(
        p.name for p in directory.iterdir() if p.is_symlink() and not p.name.startswith(".")
    )


def rollback(
    root: Path,
    environment: str,
    pointer: str | None = None,
    *,
    steps: int = 1,
    to_hash: str | None = None,
) -> list[Published]:
    """Move pointers back: ``steps`` publishes back, or to the object ``to_hash`` names.

    Without ``pointer``: the versions the newest publish of ``environment`` moved (those
    published from its commit) go back ``steps`` each, so "roll prod back" undoes that
    publish; or, with ``to_hash``, the version that published that object.  All the moves are
    checked before any is made.
    """
    known = pointers(root, environment)
    if not known:
        raise UsageError(f"nothing published for {environment} in {root}")
    if pointer is not None and pointer not in known:
        raise UsageError(
            f"no version {pointer} of {environment} in {root} (has {', '.join(known)})"
        )
    with _locked(root):
        chosen = [pointer] if pointer is not None else known
        for each in chosen:
            _recover(root, environment, each)
        if to_hash is None and pointer is None:
            chosen = _newest_publish(root, environment, known)
        if to_hash is not None and pointer is None and len(known) > 1:
            chosen = [p for p in known if _matches(root, environment, p, to_hash)]
            if len(chosen) != 1:
                found = "no version" if not chosen else "several versions"
                raise UsageError(
                    f"{found} of {environment} published {to_hash!r}; say which (--version)"
                )
        plan = [(each, *_target(root, environment, each, steps, to_hash)) for each in chosen]
        done = []
        for each, now, target in plan:
            if target == now:
                done.append(Published(environment, each, target, now, moved=False))
                continue
            _move(root, environment, each, target)
            _append(
                root,
                environment,
                {
                    "action": "rollback",
                    "pointer": each,
                    "from": now,
                    "to": target,
                    "at": _now(),
                    "commit": None,
                },
            )
            done.append(Published(environment, each, target, now, moved=True))
    return done


def _newest_publish(root: Path, environment: str, known: list[str]) -> list[str]:
    """The versions the newest publish moved: the last publish entries of its commit."""
    publishes = [e for e in history(root, environment) if e.get("action") == "publish"]
    if not publishes:
        return known
    commit = publishes[-1].get("commit")
    moved = set()
    for entry in reversed(publishes):
        if entry.get("commit") != commit:
            break
        moved.add(str(entry.get("pointer")))
    return [p for p in known if p in moved] or known


def _target(
    root: Path, environment: str, pointer: str, steps: int, to_hash: str | None
) -> tuple[str | None, str]:
    """(what ``pointer`` serves now, what a rollback would point it at)."""
    now = current(root, environment, pointer)
    if to_hash is not None:
        target = _resolve_hash(root, environment, pointer, to_hash)
    else:
        # Publishes of this pointer, oldest first; go back from the one served now.
        published = [
            str(e["to"])
            for e in history(root, environment)
            if e.get("pointer") == pointer and e.get("action") == "publish"
        ]
        position = max((i for i, d in enumerate(published) if d == now), default=-1)
        if position - steps < 0:
            raise UsageError(
                f"{environment}/{pointer} serves publish {position + 1} of {len(published)}; "
                f"cannot go back {steps}"
            )
        target = published[position - steps]
    if not object_path(root, target).exists():
        raise UsageError(f"object {target} is not in the store")
    return now, target


def _matches(root: Path, environment: str, pointer: str, wanted: str) -> bool:
    try:
        _resolve_hash(root, environment, pointer, wanted)
    except UsageError:
        return False
    return True


def _resolve_hash(root: Path, environment: str, pointer: str, wanted: str) -> str:
    """An object named by its digest (or a prefix), or by its artifact's content hash."""
    wanted = wanted.removeprefix("sha256:")
    matches = set()
    for entry in history(root, environment):
        if entry.get("pointer") != pointer:
            continue
        for key in ("to", "content_hash"):
            value = str(entry.get(key) or "").removeprefix("sha256:")
            if value.startswith(wanted):
                matches.add(str(entry["to"]))
    if len(matches) != 1:
        found = "no" if not matches else "several"
        raise UsageError(f"{found} published artifacts of {environment}/{pointer} match {wanted!r}")
    return matches.pop()
