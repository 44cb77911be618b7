"""A diff's report: each change at a JSON path, as the renderers and ``--format json`` see it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from amber.runtime.secrets import mask_references


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed", "changed", "flag", "envelope"
    path: str
    old: Any = None
    new: Any = None
    note: str = ""
    # For a flag: who the change gives another variant, over simulated users
    # ({"users": 10000, "changed": 1016, "moves": [{"from": "off", "to": "on", "users": 1016}]}).
    moved: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out = {
            "kind": self.kind,
            "path": self.path,
            "old": self.old,
            "new": self.new,
            "note": self.note,
        }
        if self.moved is not None:
            out["moved"] = self.moved
        return out


@dataclass
class Report:
    label: str
    changes: list[Change] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not self.changes


def show(value: Any) -> str:
    return json.dumps(mask_references(value), ensure_ascii=False, sort_keys=True)
