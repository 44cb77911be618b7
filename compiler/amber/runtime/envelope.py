"""The artifact's envelope: read the file once, find ``config`` in its bytes, check the hash.

``{"amber":1,"config":{...},"content_hash":"sha256:<hex>","environment":"prod",
"provenance":{...},"schema_version":"1.2.0"}``: the keys are in canonical order, so ``config``
starts at a fixed offset and the small fields after it can be parsed without parsing it.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from amber import versions
from amber.errors import IntegrityError, LoadError, VersionError
from amber.runtime.views import parse

FORMAT = 1

_HEAD = b'{"amber":'
_CONFIG = b',"config":'
_TAIL = b',"content_hash":"sha256:'
_HEX = frozenset(b"0123456789abcdef")
_FIELDS = {"content_hash", "environment", "provenance", "schema_version"}


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The whole file as one immutable snapshot."""
    source = str(path)
    try:
        with open(path, "rb") as handle:
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
    if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt > FORMAT:
        return VersionError(
            f"artifact format {fmt} is newer than this runtime reads ({FORMAT}): "
            "upgrade amber-config",
            file=source,
        )
    required = ("config", "content_hash", "environment", "schema_version")
    missing = [key for key in required if key not in value]
    if missing:
        return IntegrityError(f"not an amber artifact: missing {', '.join(missing)}", file=source)
    tag = value["content_hash"]
    if not isinstance(tag, str) or len(tag) != 71 or not tag.startswith("sha256:"):
        return IntegrityError(f"bad content_hash {tag!r}", file=source)
    return IntegrityError("not in canonical form (was it edited by hand?)", file=source)


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
