"""Credentials hidden in an encoding: base64, hex, percent- and \\u-escapes, decoded in place.

A run that decodes to printable text is text someone encoded, so the decoded text is scanned
again (a base64-encoded key, a key in a URL's query).  Each pass decodes every run once, so the
work is linear in the text for each of the few passes.
"""

from __future__ import annotations

import base64
import binascii
import urllib.parse
from collections.abc import Iterator

import re2

_ENCODED = re2.compile(
    r"(?P<hex>[0-9A-Fa-f]{32,})"
    r"|(?P<b64>[A-Za-z0-9+/_-]{16,}={0,2})"
    r"|(?P<pct>%[0-9A-Fa-f]{2}(?:[^%\s]*%[0-9A-Fa-f]{2})*)"
    r"|(?P<uni>(?:\\{1,2}u[0-9A-Fa-f]{4})+)"
)
_PRINTABLE = frozenset(range(0x20, 0x7F)) | {0x09, 0x0A, 0x0D}


def decoded_runs(text: str) -> Iterator[tuple[int, int, str]]:
    """Each encoded run of ``text`` that decodes to printable text: (start, end, decoded)."""
    for found in _ENCODED.finditer(text):
        run, kind = found.group(0), found.lastgroup
        decoded = _decode(run, kind or "")
        if decoded and decoded != run:
            yield found.start(), found.end(), decoded


def _decode(run: str, kind: str) -> str | None:
    try:
        if kind == "pct":
            return urllib.parse.unquote(run)
        if kind == "uni":
            return run.replace("\\\\u", "\\u").encode().decode("unicode_escape")
        if kind == "hex" and len(run) % 2 == 0:
            return _printable(bytes.fromhex(run))
        if kind == "b64":
            return _base64(run)
    except (ValueError, UnicodeDecodeError):
        return None
    return None


def decodes_to_text(token: str) -> bool:
    """Is ``token`` base64 of printable text (scanned decoded, not judged by its look)?"""
    return _base64(token) is not None


def _base64(run: str) -> str | None:
    padded = run + "=" * (-len(run.rstrip("=")) % 4)
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            text = _printable(decode(padded))
        except (binascii.Error, ValueError):
            continue
        if text is not None:
            return text
    return None


def _printable(data: bytes) -> str | None:
    if data and all(byte in _PRINTABLE for byte in data):
        return data.decode("ascii")
    return None
