"""A directory store of published artifacts: immutable objects, moving pointers, a history.

    DIR/objects/sha256/<hex>.json     each artifact, named by the sha256 of its bytes
    DIR/objects/sha256/<hex>.json.sig its signature, when published with --sign (the runtime
                                      finds it from the pointer: ``<realpath>.sig``)
    DIR/<env>/<major>.<minor>         a symlink to the object apps with ``expect`` MAJOR.MINOR load
    DIR/<env>/history.jsonl           every pointer move: what, from, to, source commit, when

An app loads ``amber.load("DIR/prod/1.2")`` (or watches it): the pointer is a symlink, replaced
atomically, so a reader sees the old object or the new one, each complete.  Every change is
made under an exclusive lock in one order: the object (temp file, fsync, rename), its
signature, then the history line (fsync), then the pointer (rename).  Each signed move has a
sequence number one above every number in the environment's history.

The history is the truth: before any publish, rollback or history read, the store heals from
whatever a crash left (a torn history line is cut off, a pointer that lags its history is moved
on, temporary files are swept), so after a crash at any step the three agree again.
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
from amber.compiler.environments import check_name
from amber.compiler.export.flagd import flagd_bytes
from amber.errors import UsageError
from amber.publish import history as log
from amber.publish.failpoints import failpoint
from amber.publish.signing import Signer
from amber.publish.verify import verify
from amber.runtime.config import Config


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
    try:
        target = os.readlink(root / environment / pointer)
    except OSError:
        return None
    return "sha256:" + Path(target).stem


def pointers(root: Path, environment: str) -> list[str]:
    directory = root / environment
    if not directory.is_dir():
        return []
    return sorted(
        p.name for p in directory.iterdir() if p.is_symlink() and not p.name.startswith(".")
    )


# --- healing ---------------------------------------------------------------------------------


def _heal(root: Path, environment: str) -> None:
    """Undo what a crash left: leftovers swept, a torn line cut, pointers moved to the history."""
    _sweep(root / "objects" / "sha256")
    _sweep(root / environment)
    log.repair(root, environment)
    wanted: dict[str, str] = {}
    for entry in log.read(root, environment):
        wanted[entry["pointer"]] = entry["to"]
    for pointer, digest in wanted.items():
        if current(root, environment, pointer) != digest and object_path(root, digest).exists():
            _move(root, environment, pointer, digest)


def _sweep(directory: Path) -> None:
    """Temporary files of writes a crash interrupted (every writer holds the lock we hold)."""
    if directory.is_dir():
        for leftover in directory.glob(".*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _move(root: Path, environment: str, pointer: str, digest: str) -> None:
    """Point ``environment/pointer`` at an object: a new symlink renamed over the old one."""
    directory = root / environment
    directory.mkdir(parents=True, exist_ok=True)
    target = os.path.relpath(object_path(root, digest), directory)
    temp = directory / f".{pointer}.{os.getpid()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    os.symlink(target, temp)
    failpoint("pointer-linked", exit=True)
    os.replace(temp, directory / pointer)
    fsync_directory(directory)
    failpoint("pointer-moved", exit=True)


def _store_object(root: Path, data: bytes, digest: str) -> bool:
    """Write the object unless an intact copy is there; True if a damaged copy was replaced.

    Content-addressed: the same bytes are written once, unless the copy went bad (a pointer is
    a symlink, and `cp x prod/1.2` writes through it into the object).
    """
    target = object_path(root, digest)
    try:
        intact = sha256_tag(target.read_bytes()) == digest
    except FileNotFoundError:
        write_bytes(target, data, mode=0o444)
        failpoint("object-written", exit=True)
        return False
    if not intact:
        write_bytes(target, data, mode=0o444)
    return not intact


# --- publish, history, rollback ----------------------------------------------------------------


def _signed(
    root: Path, environment: str, data: bytes, config: Config, signer: Signer | None
) -> dict[str, int]:
    """Sign the object with the next sequence number; what its history line records."""
    if signer is None:
        return {}
    sequence = 1 + max(
        (int(e.get("sequence") or 0) for e in log.read(root, environment)), default=0
    )
    signature = object_path(root, sha256_tag(data)).with_suffix(".json.sig")
    write_bytes(signature, signer.envelope(data, config, sequence))
    return {"sequence": sequence}


def publish(root: Path, data: bytes, source: str, signer: Signer | None = None) -> Published:
    """Store an artifact (and its signature) and point its environment's version at it."""
    config = verify(data, source)
    environment = check_name(config.environment, file=source, doing="refusing to publish")
    digest = sha256_tag(data)
    pointer = versions.major_minor(config.schema_version)
    with _locked(root):
        _heal(root, environment)
        repaired = _store_object(root, data, digest)
        previous = current(root, environment, pointer)
        unsigned = (
            signer is not None and not object_path(root, digest).with_suffix(".json.sig").exists()
        )
        if previous == digest and not unsigned:
            return Published(environment, pointer, digest, previous, False, repaired)
        signed = _signed(root, environment, data, config, signer)
        git = config.provenance.get("git")
        entry = {
            **signed,
            "action": "publish",
            "pointer": pointer,
            "from": previous,
            "to": digest,
            "content_hash": config.content_hash,
            "schema_version": config.schema_version,
            "commit": git.get("commit") if isinstance(git, dict) else None,
            "at": _now(),
        }
        log.append(root, environment, entry)
        _move(root, environment, pointer, digest)
    return Published(environment, pointer, digest, previous, True, repaired)


def history(root: Path, environment: str) -> list[dict[str, Any]]:
    """Every pointer move of ``environment``, oldest first, after healing the store."""
    check_name(environment)
    if not (root / environment).is_dir():
        return []
    with _locked(root):
        _heal(root, environment)
        return log.read(root, environment)


def rollback(
    root: Path,
    environment: str,
    pointer: str | None = None,
    *,
    steps: int = 1,
    to_hash: str | None = None,
    signer: Signer | None = None,
) -> list[Published]:
    """Move pointers back: ``steps`` publishes back, or to the object ``to_hash`` names.

    Without ``pointer``: the versions the newest publish of ``environment`` moved (those
    published from its commit) go back ``steps`` each, so "roll prod back" undoes that
    publish; or, with ``to_hash``, the version that published that object.  All the moves are
    checked before any is made.
    """
    check_name(environment)
    with _locked(root):
        _heal(root, environment)
        entries = log.read(root, environment)
        chosen = _chosen(root, environment, entries, pointer, to_hash)
        plan = [
            (each, *_target(root, environment, entries, each, steps, to_hash)) for each in chosen
        ]
        return [_roll(root, environment, each, now, target, signer) for each, now, target in plan]


def _roll(
    root: Path,
    environment: str,
    pointer: str,
    now: str | None,
    target: str,
    signer: Signer | None,
) -> Published:
    if target == now:
        return Published(environment, pointer, target, now, moved=False)
    data = object_path(root, target).read_bytes()
    signed = _signed(root, environment, data, verify(data, target), signer)
    entry = {**signed, "action": "rollback", "pointer": pointer, "from": now, "to": target}
    log.append(root, environment, {**entry, "at": _now(), "commit": None})
    _move(root, environment, pointer, target)
    return Published(environment, pointer, target, now, moved=True)


def _chosen(
    root: Path,
    environment: str,
    entries: list[dict[str, Any]],
    pointer: str | None,
    to_hash: str | None,
) -> list[str]:
    """The pointers a rollback moves."""
    known = pointers(root, environment)
    if not known:
        raise UsageError(f"nothing published for {environment} in {root}")
    if pointer is not None:
        if pointer not in known:
            listed = ", ".join(known)
            raise UsageError(f"no version {pointer} of {environment} in {root} (has {listed})")
        return [pointer]
    if to_hash is None:
        return _newest_publish(entries, known)
    if len(known) == 1:
        return known
    chosen = [p for p in known if _matches(entries, environment, p, to_hash)]
    if len(chosen) != 1:
        found = "no version" if not chosen else "several versions"
        raise UsageError(f"{found} of {environment} published {to_hash!r}; say which (--version)")
    return chosen


def _newest_publish(entries: list[dict[str, Any]], known: list[str]) -> list[str]:
    """The versions the newest publish moved: the last publish entries of its commit."""
    publishes = [e for e in entries if e.get("action") == "publish"]
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
    root: Path,
    environment: str,
    entries: list[dict[str, Any]],
    pointer: str,
    steps: int,
    to_hash: str | None,
) -> tuple[str | None, str]:
    """(what ``pointer`` serves now, what a rollback would point it at)."""
    now = current(root, environment, pointer)
    if to_hash is not None:
        target = _resolve_hash(entries, environment, pointer, to_hash)
    else:
        # Publishes of this pointer, oldest first; go back from the one served now.
        published = [
            str(e["to"])
            for e in entries
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


def _matches(entries: list[dict[str, Any]], environment: str, pointer: str, wanted: str) -> bool:
    try:
        _resolve_hash(entries, environment, pointer, wanted)
    except UsageError:
        return False
    return True


def _resolve_hash(
    entries: list[dict[str, Any]], environment: str, pointer: str, wanted: str
) -> str:
    """An object named by its digest (or a prefix), or by its artifact's content hash."""
    wanted = wanted.removeprefix("sha256:")
    matches = set()
    for entry in entries:
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


def publish_flagd(root: Path, data: bytes, source: str, consumer: str) -> Path:
    """Write an artifact's flags as a flagd flag-definition file beside its pointer,
    ``DIR/<env>/<major>.<minor>.flagd.json``, atomically, for a flagd that reads files."""
    config = verify(data, source)
    environment = check_name(config.environment, file=source, doing="refusing to publish")
    document = flagd_bytes(json.loads(data), consumer, source)
    target = root / environment / f"{versions.major_minor(config.schema_version)}.flagd.json"
    with _locked(root):
        _heal(root, environment)
        write_bytes(target, document)
    return target
