"""``expect``: does an artifact's schema version serve the app that loads it?  Stdlib only."""

from __future__ import annotations

import os

from amber import versions
from amber.errors import VersionError


def check_expect(schema_version: str, expect: str | None, environment: str, source: str) -> None:
    """Refuse an artifact whose schema version does not serve an app built for ``expect``."""
    if expect is None:
        return
    if not isinstance(expect, str):  # expect=1.2 would mean 1.2 and 1.20 alike
        raise TypeError(f"expect must be a string like '1.2', not {expect!r}")
    try:
        wanted = versions.parse_expect(expect)
    except ValueError:
        raise ValueError(f"expect={expect!r} is not a version like '1.2'") from None
    have = versions.parse(schema_version)
    if versions.satisfies(have, expect):
        return
    need = versions.text(wanted)
    how = (
        f"publish one with `amber build {environment} --version {need}` "
        f"or `amber migrate {os.path.basename(source)} --to {need}`"
    )
    if have[0] != wanted[0]:
        message = (
            f"artifact has schema version {schema_version}; this app needs {wanted[0]}.x "
            f"(at least {expect}): {how}"
        )
    else:
        message = (
            f"artifact has schema version {schema_version}, older than this app needs "
            f"({expect} or a later {wanted[0]}.x): {how}"
        )
    raise VersionError(message, file=source)
