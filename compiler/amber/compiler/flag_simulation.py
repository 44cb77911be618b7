"""Who a flag serves what: its variants' shares over a population of users, and who moves
between two versions of it, measured with the runtime's own evaluator.

A population is synthetic (``user-000000`` ...) or a file of targeting keys, one per line,
each with the same other attributes (``--context``).  The numbers are the runtime's answers
for those users, not a reading of the weights: allow-lists, conditions and the bucketing
generation all count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from amber.errors import UsageError
from amber.flags import FlagSet

DEFAULT_USERS = 10_000
# What a user is served when the flag answers no variant (disabled, or the caller's default).
NO_VARIANT = "(default)"


def population(
    count: int | None, keys: Path | None, context: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The users to evaluate for: from a file of targeting keys, or ``count`` synthetic ones."""
    if keys is not None:
        try:
            lines = keys.read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read the keys: {exc}", file=str(keys)) from None
        names = [line.strip() for line in lines if line.strip()]
        if not names:
            raise UsageError("no targeting keys in the file (one per line)", file=str(keys))
    else:
        names = [f"user-{index:06d}" for index in range(count or DEFAULT_USERS)]
    base = dict(context or {})
    return [{**base, "targetingKey": name} for name in names]


def _variant(flag_set: FlagSet, key: str, user: dict[str, Any]) -> str:
    result = flag_set.evaluate(key, user)
    return result.variant if result.variant is not None else NO_VARIANT


@dataclass(frozen=True)
class Shares:
    users: int
    counts: dict[str, int]  # variant -> users, largest first

    def percent(self, variant: str) -> float:
        return 100 * self.counts.get(variant, 0) / self.users if self.users else 0.0


def shares(flag_set: FlagSet, key: str, users: list[dict[str, Any]]) -> Shares:
    counted = Counter(_variant(flag_set, key, user) for user in users)
    return Shares(len(users), dict(counted.most_common()))


@dataclass(frozen=True)
class Moves:
    users: int
    moved: dict[tuple[str, str], int]  # (from, to) -> users, largest first

    @property
    def total(self) -> int:
        return sum(self.moved.values())


def moves(old: FlagSet, new: FlagSet, key: str, users: list[dict[str, Any]]) -> Moves:
    """Who gets another variant from ``new`` than from ``old``."""
    counted: Counter[tuple[str, str]] = Counter()
    for user in users:
        before, after = _variant(old, key, user), _variant(new, key, user)
        if before != after:
            counted[(before, after)] += 1
    return Moves(len(users), dict(counted.most_common()))


def describe_moves(found: Moves) -> str:
    """``1,012 of 10,000 users change variant: off -> on 1,012``."""
    if not found.total:
        return f"none of {found.users:,} users change variant"
    detail = ", ".join(f"{a} -> {b} {n:,}" for (a, b), n in found.moved.items())
    return f"{found.total:,} of {found.users:,} users change variant: {detail}"
