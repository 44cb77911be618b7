"""Add feature flags: a map from flag key to a flagd flag definition.

up: no flags; every flag check in the app falls back to its code default.
down: drops `flags`; apps on 1.1.0 do not read flags.
"""

from __future__ import annotations

from typing import Any

FROM = "1.1.0"
TO = "1.2.0"
DROPS = ("flags",)


def up(config: dict[str, Any]) -> dict[str, Any]:
    return {**config, "flags": {}}


def down(config: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in config.items() if key != "flags"}

raise SystemExit(5)
