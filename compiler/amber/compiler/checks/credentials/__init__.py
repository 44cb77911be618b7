"""Credentials: refuse them in a compiled config, and cut them out of everything Amber prints.

Secrets never belong in an artifact: a credential in Git is leaked.  One detector
(``detector``: gitleaks' rules and Amber's own as data, random-looking tokens, encoded forms)
serves two purposes:

- ``scan`` checks every key and every string of a config, each string seen with the name of
  its field (``"aws_secret_access_key": "..."``), so rules that need that context have it;
- ``redact`` cuts what the detector finds out of any text, whatever it is: a diagnostic, a
  JSON report, ``amber show``, a diff, what a rule printed.  The command line passes all its
  output through it, and a build keeps no config the scanner refused in its cache.

A value that is not a secret (a public key id, test data) is allowed by its fingerprint, the
sha256 of the value, in the ``allow_credentials`` setting.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from amber.compiler.checks.credentials.detector import RANDOM, Match, find
from amber.jsonpath import Segment
from amber.runtime.secrets import SECRET_KEY

_REFERENCE = re.compile(r"env:[A-Za-z_][A-Za-z0-9_]*|file:/.+")
_SECRET_NAME = re.compile(
    r"(?i)(secret|passw(or)?d|passwd|token|api[_-]?key|private[_-]?key|credential|auth)"
)


@dataclass(frozen=True)
class Finding:
    path: tuple[Segment, ...]
    message: str
    code: str
    secret: str = ""  # what to cut wherever it shows; never printed


def fingerprint(secret: str) -> str:
    """What ``allow_credentials`` names a value by: the sha256 of its text."""
    return "sha256:" + hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def cut(secret: str) -> str:
    """A credential as it may be shown: enough to recognise it, not enough to use it."""
    return secret[:4] + "...<redacted>"


def _advice(match: Match) -> str:
    message = (
        f"looks like a live credential ({match.kind}); keep secrets out of Git and use a "
        'reference such as {"$secret": "env:NAME"} or {"$secret": "file:/path"}'
    )
    if match.kind.startswith(RANDOM):  # high entropy: its fingerprint gives nothing away
        message += f' (not a secret? allow_credentials = ["{fingerprint(match.secret)}"])'
    return message


def _matches(text: str, secret_field: bool, allow: frozenset[str]) -> list[Match]:
    return [m for m in find(text, secret_field=secret_field) if fingerprint(m.secret) not in allow]


def scan(
    value: Any, allow: Iterable[str] = (), path: tuple[Segment, ...] = ()
) -> Iterator[Finding]:
    """Every credential-looking key or string and malformed secret reference under ``value``."""
    allowed = frozenset(allow)
    if isinstance(value, dict):
        if SECRET_KEY in value:
            yield from _reference(value, path, allowed)
            return
        for key, item in value.items():
            yield from _key(key, (*path, key), allowed)
            yield from scan(item, allowed, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from scan(item, allowed, (*path, index))
    elif isinstance(value, str):
        yield from _string(value, path, allowed)


def _secret_field(path: tuple[Segment, ...]) -> bool:
    return any(isinstance(s, str) and _SECRET_NAME.search(s) for s in path[-2:])


def _key(key: str, path: tuple[Segment, ...], allow: frozenset[str]) -> Iterator[Finding]:
    for match in _matches(key, False, allow)[:1]:
        yield Finding(path, f"an object key {_advice(match)}", "security:credential", key)


def _string(value: str, path: tuple[Segment, ...], allow: frozenset[str]) -> Iterator[Finding]:
    """A string, seen as ``"name": "value"`` so that rules needing a field name have one."""
    name = json.dumps(path[-1] if path and isinstance(path[-1], str) else "")
    unit = f"{name}: {json.dumps(value, ensure_ascii=False)}"
    offset = len(name) + 2
    for match in _matches(unit, _secret_field(path), allow):
        if match.end > offset:  # in the value, not in its field's name
            yield Finding(path, _advice(match), "security:credential", value)
            return


def _reference(
    value: dict[str, Any], path: tuple[Segment, ...], allow: frozenset[str]
) -> Iterator[Finding]:
    reference = value[SECRET_KEY]
    if len(value) == 1 and isinstance(reference, str) and _REFERENCE.fullmatch(reference):
        return
    yield Finding(
        path,
        'a secret reference is {"$secret": "env:NAME"} or '
        '{"$secret": "file:/absolute/path"} and nothing else',
        "security:secret-reference",
    )
    # {"$secret": "sk-..."}: the key itself where its name should be
    yield from scan(reference, allow, (*path, SECRET_KEY))


def redact(text: str, allow: Iterable[str] = ()) -> str:
    """``text`` with every credential the detector finds cut short."""
    matches = _matches(text, False, frozenset(allow))
    for match in reversed(matches):
        text = text[: match.start] + cut(text[match.start : match.end]) + text[match.end :]
    return text


def redacted(value: Any, allow: Iterable[str] = ()) -> Any:
    """A display copy of a config with every credential the scanner finds cut short: `amber
    show` prints a config that failed, and a live key must not reach a terminal or a CI log."""
    found = [f for f in scan(value, allow) if f.code == "security:credential"]
    if not found:
        return value
    value = copy.deepcopy(value)
    keys = [f for f in found if f.message.startswith("an object key")]
    values = [f for f in found if f not in keys]
    # Deepest first, values before keys: a renamed key must not hide what lies under it.
    for finding in sorted(values, key=lambda f: -len(f.path)) + sorted(
        keys, key=lambda f: -len(f.path)
    ):
        parent = value
        for segment in finding.path[:-1]:
            parent = parent[segment]
        last = finding.path[-1]
        if finding in keys:
            parent[cut(str(last))] = parent.pop(last)
        else:
            parent[last] = cut(finding.secret)
    return value


def _depth(finding: Finding) -> int:
    return -len(finding.path)
