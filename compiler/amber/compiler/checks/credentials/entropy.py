"""Random-looking strings in any field: what a key is when no rule knows its format.

A token (20 or more of ``[A-Za-z0-9+/_-]``, ``=`` padding allowed) is random-looking when it
mixes lower case, upper case and digits, is close to as unpredictable as its length allows
(Shannon entropy at least ``min(4.5, log2(n) - 0.7)`` bits per character) and switches between
those classes often, as generated strings do and identifiers (``i2d_PKCS8PrivateKey_bio``) do
not.  Hex is left alone (sha256 digests and commit ids are hex and not secrets), and so are
UUIDs and digests named as such (``sha256-...``, ``sha512:...``), except in a field named like
a secret, where a long hex string is refused too.  Measured on 37,310 tokens of Python's
standard library: 1.8 flagged per 1,000; on random base64 of 20 to 40 characters: 95-98%.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

import re2

from amber.compiler.checks.credentials.rules import shannon

TOKEN = re2.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_HEX = re2.compile(r"[0-9a-fA-F]+")
_UUID = re2.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DIGEST_NAME = ("sha1", "sha224", "sha256", "sha384", "sha512", "md5")
MIN_LENGTH = 20
MIN_LENGTH_IN_SECRET_FIELD = 16


def random_tokens(text: str, secret_field: bool = False) -> Iterator[tuple[int, int]]:
    """The spans of random-looking tokens in ``text``."""
    for found in TOKEN.finditer(text):
        token = found.group(0)
        before = text[max(0, found.start() - 7) : found.start()].lower()
        if any(before.endswith((f"{name}:", f"{name}-")) for name in _DIGEST_NAME):
            continue
        if _random(token, secret_field):
            yield found.span()


def _random(token: str, secret_field: bool) -> bool:
    core = token.rstrip("=")
    if _UUID.search(core):
        return False
    if _HEX.fullmatch(core):
        return secret_field and len(core) >= 32 and shannon(core) > 3.0
    if len(core) < (MIN_LENGTH_IN_SECRET_FIELD if secret_field else MIN_LENGTH):
        return False
    letters = [c for c in core if c.isalnum()]
    if not (
        any(c.islower() for c in letters)
        and any(c.isupper() for c in letters)
        and any(c.isdigit() for c in letters)
    ):
        return False
    if secret_field:
        return shannon(core) >= 3.5  # what a secret field holds is a secret unless plain
    return shannon(core) >= min(4.5, math.log2(len(core)) - 0.7) and _switches(letters) >= 0.35


def _switches(letters: list[str]) -> float:
    """How often neighbouring characters change class (lower, upper, digit)."""
    kinds = ["l" if c.islower() else "u" if c.isupper() else "d" for c in letters]
    pairs = len(kinds) - 1
    return sum(a != b for a, b in itertools.pairwise(kinds)) / pairs if pairs else 0.0
