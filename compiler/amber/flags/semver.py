"""flagd's ``sem_ver`` operator: compare semantic versions, leniently as flagd reads them.

Bad arguments give null, never an exception.  Standard library only.
"""

from __future__ import annotations

import re
from typing import Any

_IDENT = r"(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)"
_SEMVER = re.compile(
    rf"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    rf"(?:-({_IDENT}(?:\.{_IDENT})*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)

SemVer = tuple[int, int, int, tuple[tuple[int, int | str], ...] | None]


def is_strict_semver(text: str) -> bool:
    """SemVer 2.0 as written (``2.4.0``), not as flagd reads it leniently (``v2.4``)."""
    return _SEMVER.fullmatch(text) is not None


def parse_semver(arg: Any) -> SemVer | None:
    """flagd's lenient reading: a ``v`` prefix and missing minor or patch are allowed."""
    try:
        return _parse_semver(arg)
    except ValueError:  # Python refuses int <-> str beyond 4300 digits: no version, as flagd
        return None


def _parse_semver(arg: Any) -> SemVer | None:
    text = str(arg)
    if text.startswith(("v", "V")):
        text = text[1:]
    numeric = text.split("-")[0].split("+")[0]
    dots = numeric.count(".")
    if dots < 2:
        text = numeric + ".0" * (2 - dots) + text[len(numeric) :]
    matched = _SEMVER.fullmatch(text)
    if not matched:
        return None
    major, minor, patch, pre, _build = matched.groups()
    prerelease = None
    if pre is not None:
        # Numeric identifiers sort before alphanumeric ones, numerically among themselves.
        prerelease = tuple((0, int(p)) if p.isdigit() else (1, p) for p in pre.split("."))
    return int(major), int(minor), int(patch), prerelease


def _precedence(version: SemVer) -> tuple[Any, ...]:
    major, minor, patch, pre = version
    # A release sorts after all of its pre-releases.
    return (major, minor, patch, (1,) if pre is None else (0, pre))


def sem_ver(data: Any, *args: Any) -> bool | None:
    if len(args) != 3:
        return None
    left, operator, right = args
    a, b = parse_semver(left), parse_semver(right)
    if a is None or b is None:
        return None
    x, y = _precedence(a), _precedence(b)
    if operator == "=":
        return x == y
    if operator == "!=":
        return x != y
    if operator == "<":
        return x < y
    if operator == "<=":
        return x <= y
    if operator == ">":
        return x > y
    if operator == ">=":
        return x >= y
    if operator == "^":
        return a[0] == b[0]
    if operator == "~":
        return a[0] == b[0] and a[1] == b[1]
    return None
