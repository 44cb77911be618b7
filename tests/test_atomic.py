"""Atomic writes: a reader sees the old bytes or the new ones, never a mix or a stray temp file."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from amber import atomic


def test_replaces_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "prod.json"
    atomic.write_bytes(target, b"old")
    atomic.write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert os.listdir(target.parent) == ["prod.json"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o644 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "prod.json"
    atomic.write_bytes(target, b"good")

    def crash(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="No space"):
        atomic.write_bytes(target, b"half")
    assert target.read_bytes() == b"good"
    assert os.listdir(tmp_path) == ["prod.json"]


def test_readers_never_see_a_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    versions = [bytes([65 + i]) * 200_000 for i in range(5)]
    atomic.write_bytes(target, versions[0])
    seen: set[bytes] = set()
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            seen.add(target.read_bytes())

    reader = threading.Thread(target=read)
    reader.start()
    for _ in range(20):
        for data in versions:
            atomic.write_bytes(target, data)
    done.set()
    reader.join()
    assert seen <= set(versions)
