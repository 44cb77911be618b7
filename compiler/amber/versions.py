"""Schema version numbers: ``MAJOR.MINOR.PATCH``, compared as integers.  Standard library only."""

from __future__ import annotations

import re

Version = tuple[int, int, int]

_VERSION = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?")


def parse(text: str) -> Version:
    """``"1.2.0"`` -> ``(1, 2, 0)``; ``"1.2"`` means ``1.2.0``.  Raises ``ValueError``."""
    matched = _VERSION.fullmatch(text)
    if not matched:
        raise ValueError(f"{text!r} is not a version (MAJOR.MINOR.PATCH)")
    major, minor, patch = matched.groups()
    return int(major), int(minor), int(patch or 0)


def major_minor(text: str) -> str:
    """``"1.2.3"`` -> ``"1.2"``: what a store pointer and a registry tag are named by."""
    major, minor, _ = parse(text)
    return f"{major}.{minor}"


def is_version(text: str) -> bool:
    return _VERSION.fullmatch(text) is not None


def text(version: Version) -> str:
    return ".".join(str(part) for part in version)


def parse_expect(text: str) -> Version:
    """What an app expects: ``"1"``, ``"1.2"`` or ``"1.2.3"``."""
    return parse(f"{text}.0") if text.isdigit() else parse(text)


def satisfies(version: Version, expect: str) -> bool:
    """Does an artifact at ``version`` serve an app built for ``expect`` (``"1.2"`` or ``"1.2.3"``)?

    Same major, and not older than what the app expects: minors only add.
    """
    wanted = parse_expect(expect)
    return version[0] == wanted[0] and version >= wanted


_CLAUSE = re.compile(r"^\s*(>=|<=|==|!=|>|<)\s*(\S+)\s*$")


def matches(version: Version, spec: str) -> bool:
    """Does ``version`` satisfy a specifier like ``">=1.1, <2"``?  Empty means every version."""
    for clause in filter(None, (part.strip() for part in spec.split(","))):
        matched = _CLAUSE.fullmatch(clause)
        if not matched:
            raise ValueError(f"{clause!r} is not a version clause (e.g. '>=1.1')")
        operator, bound_text = matched.groups()
        bound = parse(bound_text)
        ok = {
            ">=": version >= bound,
            "<=": version <= bound,
            ">": version > bound,
            "<": version < bound,
            "==": version == bound,
            "!=": version != bound,
        }[operator]
        if not ok:
            return False
    return True
