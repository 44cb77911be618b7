"""Refuse values that look like live credentials, and check secret references.

Secrets never belong in an artifact: a credential in Git is leaked.  Known token formats are
matched anywhere; long, random-looking strings are refused in fields named like a secret.
"""

from __future__ import annotations

import copy
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from amber.jsonpath import Segment
from amber.runtime.secrets import SECRET_KEY

_REFERENCE = re.compile(r"env:[A-Za-z_][A-Za-z0-9_]*|file:/.+")

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("private key", re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")),
    # Anthropic's first: its keys start with sk- too.
    ("Anthropic API key", re.compile(r"\bsk-ant-[A-Za-z0-9_-]{20,}")),
    ("OpenAI API key", re.compile(r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}")),
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})")),
    ("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("Stripe secret key", re.compile(r"\b(?:sk|rk)_live_[A-Za-z0-9]{16,}")),
    ("password in a URL", re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@")),
]
_SECRET_NAME = re.compile(
    r"(?i)(secret|passw(or)?d|passwd|token|api[_-]?key|private[_-]?key|credential|auth)"
)
_HEX = re.compile(r"[0-9a-f]+")
_MIN_RANDOM_LENGTH = 16
_MIN_ENTROPY = 3.5  # bits per character; English words and identifiers stay well below


@dataclass(frozen=True)
class Finding:
    path: tuple[Segment, ...]
    message: str
    code: str


def _entropy(text: str) -> float:
    counts = Counter(text)
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _looks_random(text: str) -> bool:
    """Token-like: no spaces, high entropy, and mixed case with digits (or long hex)."""
    if len(text) < _MIN_RANDOM_LENGTH or " " in text or _entropy(text) < _MIN_ENTROPY:
        return False
    mixed = (
        any(c.isdigit() for c in text)
        and any(c.isupper() for c in text)
        and any(c.islower() for c in text)
    )
    return mixed or (len(text) >= 32 and _HEX.fullmatch(text) is not None)


def _advice(kind: str) -> str:
    return (
        f"looks like a live credential ({kind}); keep secrets out of Git and use a reference "
        'such as {"$secret": "env:NAME"} or {"$secret": "file:/path"}'
    )


def scan(value: Any, path: tuple[Segment, ...] = ()) -> Iterator[Finding]:
    """Every credential-looking string and malformed secret reference under ``value``."""
    if isinstance(value, dict):
        if SECRET_KEY in value:
            reference = value[SECRET_KEY]
            if (
                len(value) != 1
                or not isinstance(reference, str)
                or not _REFERENCE.fullmatch(reference)
            ):
                yield Finding(
                    path,
                    'a secret reference is {"$secret": "env:NAME"} or '
                    '{"$secret": "file:/absolute/path"} and nothing else',
                    "security:secret-reference",
                )
                # {"$secret": "sk-..."}: the key itself where its name should be
                yield from scan(reference, (*path, SECRET_KEY))
            return
        for key, item in value.items():
            yield from scan(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from scan(item, (*path, index))
    elif isinstance(value, str):
        for kind, pattern in _PATTERNS:
            if pattern.search(value):
                yield Finding(path, _advice(kind), "security:credential")
                return
        names = [segment for segment in path[-2:] if isinstance(segment, str)]
        if any(_SECRET_NAME.search(name) for name in names) and _looks_random(value):
            yield Finding(path, _advice("random string in a secret field"), "security:credential")


def cut(secret: str) -> str:
    """A credential as it may be shown: enough to recognise it, not enough to use it."""
    return secret[:4] + "...<redacted>"


def redacted(value: Any) -> Any:
    """``value`` with every credential the scanner finds cut short, for display: `amber show`
    prints a config that failed, and a live key must not reach a terminal or a CI log."""
    found = [f.path for f in scan(value) if f.code == "security:credential"]
    if not found:
        return value
    value = copy.deepcopy(value)
    for path in found:
        parent = value
        for segment in path[:-1]:
            parent = parent[segment]
        secret = parent[path[-1]]
        parent[path[-1]] = cut(secret)
    return value
