"""Where ``--to`` publishes: a directory store, or an OCI repository (``oci://HOST/REPO``).

The one place a destination is parsed: commands dispatch on the type it returns.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from amber.errors import UsageError

_REFERENCE = re.compile(
    r"oci://(?P<host>[^/]+)/(?P<repo>[a-z0-9]+(?:[._/-][a-z0-9]+)*)"
    r"(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?P<digest>sha256:[0-9a-f]{64}))?"
)


@dataclass(frozen=True)
class Reference:
    """An OCI repository, and optionally a tag or a digest in it."""

    host: str
    repository: str
    tag: str | None = None
    digest: str | None = None

    @classmethod
    def parse(cls, text: str) -> Reference:
        matched = _REFERENCE.fullmatch(text)
        if not matched or not _is_host(matched["host"]):
            raise UsageError(f"{text!r} is not oci://HOST[:PORT]/REPOSITORY[:TAG][@sha256:DIGEST]")
        return cls(matched["host"], matched["repo"], matched["tag"], matched["digest"])


def _is_host(host: str) -> bool:
    """``name[:port]`` or ``[ipv6][:port]``, as a URL can carry it."""
    try:
        parts = urllib.parse.urlsplit(f"//{host}")
        port = parts.port  # raises on a port that is not a number in range
    except ValueError:  # an unclosed IPv6 bracket, a bad port
        return False
    return bool(parts.hostname) and (port is None or port > 0)


def parse(text: str) -> Path | Reference:
    """A directory store's path, or the OCI reference of ``oci://...``."""
    if text.startswith("oci://"):
        return Reference.parse(text)
    return Path(text)
