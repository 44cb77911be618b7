"""Read a file only if it really lies inside one of the allowed directories.

The file read is the file checked: it is opened once, and the location of the opened file
(not of the path, which a concurrent swap of a directory for a symlink can redirect between a
check and a read) is what must lie inside.  On Linux the kernel names the opened file in
``/proc/self/fd``; on macOS ``F_GETPATH`` does; elsewhere the opened file must be the same
inode as the resolved path, checked after the open.
"""

from __future__ import annotations

import fcntl
import os
import stat
import sys

_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)


class Escaped(Exception):
    """The path leads outside every allowed directory (through a symlink, or a swap)."""


def inside(path: str, bases: list[str]) -> bool:
    return any(path == base or path.startswith(base + os.sep) for base in bases)


def read(path: str, bases: list[str]) -> bytes | None:
    """The bytes of the regular file at ``path``, or None if there is none; :class:`Escaped`
    if what the path leads to lies outside ``bases`` (real, resolved directories)."""
    try:
        fd = os.open(path, _FLAGS)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except IsADirectoryError:  # some systems refuse to open a directory at all
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None  # a directory or a device is no file to import
        if not inside(_opened_path(fd, path), bases):
            raise Escaped(path)
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _opened_path(fd: int, path: str) -> str:
    """Where the file open as ``fd`` really is."""
    if sys.platform.startswith("linux"):
        return os.readlink(f"/proc/self/fd/{fd}")
    if sys.platform == "darwin":
        named: bytes = fcntl.fcntl(fd, fcntl.F_GETPATH, b"\0" * 1024)  # type: ignore[attr-defined]
        return named.rstrip(b"\0").decode()
    resolved = os.path.realpath(path)  # pragma: no cover - neither Linux nor macOS
    opened, there = os.fstat(fd), os.stat(resolved)
    same = (opened.st_dev, opened.st_ino) == (there.st_dev, there.st_ino)
    return resolved if same else ""
