"""The artifact's envelope: read the file once, check the seal, find ``config``, check its hash.

Format 2::

    {"amber":2,"config":{...},"content_hash":"sha256:<hex>","environment":"prod",
     "provenance":{...},"schema_version":"1.2.0","seal":"sha256:<hex>"}

RFC 8785 canonical JSON.  ``content_hash`` is the sha256 of the bytes of ``config`` (it names
the config: two builds of one config share it).  ``seal`` is the sha256 of every byte before
``,"seal":``, so nothing an app or a tool acts on (the environment, the schema version, the
provenance with its bucketing generation, the content hash itself) can change unnoticed;
``seal`` sorts last, so its member always ends the file, 82 bytes long.  Any program can check
it without parsing JSON.  Format 1 sealed only ``config`` and is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from typing import Any, BinaryIO

from amber import versions
from amber.errors import IntegrityError, LoadError, VersionError
from amber.runtime.views import parse

FORMAT = 2

_HEAD = b'{"amber":'
_CONFIG = b',"config":'
_TAIL = b',"content_hash":"sha256:'
_SEAL = b',"seal":"sha256:'
SEAL_LENGTH = len(_SEAL) + 64 + 2  # the member and the closing brace: ,"seal":"sha256:<hex>"}
_HEX = frozenset(b"0123456789abcdef")
_FIELDS = {"content_hash", "environment", "provenance", "schema_version", "seal"}


def seal(unsealed: bytes) -> bytes:
    """Canonical artifact bytes without ``seal`` (ending in ``}``), sealed."""
    body = unsealed[:-1]
    return body + _SEAL + hashlib.sha256(body).hexdigest().encode() + b'"}'


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """A regular file opened for reading.  O_NONBLOCK so that a FIFO planted where an
    artifact or a signature should be cannot hang the app; a device (``/dev/zero``) or a
    FIFO is refused, as only a regular file has an end to read to."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise OSError(0, "not a regular file")
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The whole file as one immutable snapshot."""
    source = str(path)
    try:
        with open_regular(path) as handle:
            data = handle.read()
    except IsADirectoryError:
        raise LoadError("is a directory, not an artifact file", file=source) from None
    except FileNotFoundError:
        raise LoadError("no such file", file=source) from None
    except PermissionError:
        raise LoadError("permission denied", file=source) from None
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}", file=source) from None
    if not data:
        raise IntegrityError("empty file: not an amber artifact", file=source)
    return data


def _not_an_artifact(data: bytes, source: str) -> LoadError:
    """The most precise message for bytes that do not start like an artifact."""
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        return IntegrityError("not JSON (truncated or corrupt artifact?)", file=source)
    if not isinstance(value, dict) or "amber" not in value:
        return IntegrityError("valid JSON but not an amber artifact (no 'amber' key)", file=source)
    fmt = value.get("amber")
    if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt != FORMAT:
        return _other_format(fmt, source)
    required = ("config", "content_hash", "environment", "schema_version", "seal")
    missing = [key for key in required if key not in value]
    if missing:
        return IntegrityError(f"not an amber artifact: missing {', '.join(missing)}", file=source)
    tag = value["content_hash"]
    if not isinstance(tag, str) or len(tag) != 71 or not tag.startswith("sha256:"):
        return IntegrityError(f"bad content_hash {tag!r}", file=source)
    return IntegrityError("not in canonical form (was it edited by hand?)", file=source)


def _other_format(fmt: int, source: str) -> VersionError:
    if fmt > FORMAT:
        return VersionError(
            f"artifact format {fmt} is newer than this runtime reads ({FORMAT}): "
            "upgrade amber-config",
            file=source,
        )
    return VersionError(
        f"artifact format {fmt} is not sealed (its environment, schema version and provenance "
        "are outside its hash): rebuild it with this amber (`amber build`)",
        file=source,
    )


def check_seal(data: bytes, source: str) -> None:
    """Every byte before the seal is the one Amber wrote, or the artifact is refused."""
    start = len(data) - SEAL_LENGTH
    hex_digest = data[start + len(_SEAL) : -2]
    if (
        start <= 0
        or data[start : start + len(_SEAL)] != _SEAL
        or data[-2:] != b'"}'
        or not set(hex_digest) <= _HEX
    ):
        raise IntegrityError("truncated or corrupt artifact (no seal at its end)", file=source)
    if hashlib.sha256(memoryview(data)[:start]).hexdigest().encode() != hex_digest:
        raise IntegrityError(
            "seal mismatch: the bytes are not the ones amber wrote (corrupt or edited artifact)",
            file=source,
        )


class Envelope:
    """Where ``config`` lies in the bytes, and the verified envelope fields around it."""

    __slots__ = (
        "config_end",
        "config_start",
        "content_hash",
        "environment",
        "provenance",
        "schema_version",
    )

    def __init__(self, data: bytes, source: str) -> None:
        self.config_start = _config_start(data, source)
        check_seal(data, source)
        self.config_end = _config_end(data, self.config_start, source)
        fields = _fields(data, self.config_end, source)
        self.content_hash: str = fields["content_hash"]
        self.environment: str = fields["environment"]
        self.provenance: Any = fields["provenance"]
        self.schema_version: str = fields["schema_version"]
        digest = (
            "sha256:"
            + hashlib.sha256(memoryview(data)[self.config_start : self.config_end]).hexdigest()
        )
        if digest != self.content_hash:
            raise IntegrityError(
                f"content hash mismatch: the file says {self.content_hash}, its config hashes "
                f"to {digest} (corrupt or edited artifact)",
                file=source,
            )


def _config_start(data: bytes, source: str) -> int:
    if not data.startswith(_HEAD):
        raise _not_an_artifact(data, source)
    comma = data.find(b",", len(_HEAD), len(_HEAD) + 24)
    fmt_text = data[len(_HEAD) : comma] if comma > 0 else b""
    if fmt_text != str(FORMAT).encode() or not data.startswith(_CONFIG, comma):
        raise _not_an_artifact(data, source)
    return comma + len(_CONFIG)


def _config_end(data: bytes, start: int, source: str) -> int:
    """Where ``config`` ends: at the envelope's own ``content_hash`` key.

    In canonical JSON a quote inside a string is escaped, so this pattern is a key; the
    envelope's own is the last one followed by "environment" (provenance, after it, may hold
    others, e.g. migrated_from).
    """
    tail = len(data)
    while True:
        tail = data.rfind(_TAIL, start, tail)
        if tail < 0:
            raise _not_an_artifact(data, source)
        if data.startswith(b'","environment":"', tail + len(_TAIL) + 64):
            return tail


def _fields(data: bytes, config_end: int, source: str) -> dict[str, Any]:
    """The envelope fields after ``config``, checked for shape."""
    try:
        fields = parse(b"{" + data[config_end + 1 :])
    except (ValueError, RecursionError):
        raise IntegrityError(
            "truncated or corrupt artifact (envelope is not JSON)", file=source
        ) from None
    if set(fields) != _FIELDS:
        raise IntegrityError("corrupt artifact envelope (unexpected keys)", file=source)
    if not isinstance(fields["environment"], str) or not isinstance(fields["provenance"], dict):
        raise IntegrityError("corrupt artifact envelope (bad field types)", file=source)
    version = fields["schema_version"]
    if not isinstance(version, str) or not versions.is_version(version):
        raise IntegrityError(f"bad schema_version {version!r}", file=source)
    tag = fields["content_hash"]
    if not isinstance(tag, str) or len(tag) != 71 or not set(tag[7:].encode()) <= _HEX:
        raise IntegrityError("bad content_hash", file=source)
    return dict(fields)
