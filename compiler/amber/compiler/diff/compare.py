"""A reviewer's diff of compiled config: by JSON path, with flags described in their own terms.

Secret references are shown masked, a schema version change and a change of flag bucketing are
called out, and flag changes read as what they do: a state flip, a new default variant, a
rollout from 10% to 20%, an allow-list that grew by two.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from amber.compiler.diff.flags import diff_flags, with_moved_users
from amber.compiler.diff.report import Change, Report
from amber.jsonpath import Segment, format_path
from amber.runtime.secrets import mask_references


def diff_tree(old: Any, new: Any, path: tuple[Segment, ...] = ()) -> Iterator[Change]:
    """Every difference between two JSON values, deepest first where both are objects."""
    if isinstance(old, Mapping) and isinstance(new, Mapping) and not _is_secret(old, new):
        for key in sorted(set(old) | set(new)):
            where = (*path, key)
            if key not in new:
                yield Change("removed", format_path(where), old=mask_references(old[key]))
            elif key not in old:
                yield Change("added", format_path(where), new=mask_references(new[key]))
            else:
                yield from diff_tree(old[key], new[key], where)
    elif old != new or type(old) is not type(new):
        if old == new and {type(old), type(new)} <= {int, float}:
            return  # 1 and 1.0 are one JSON number
        yield Change("changed", format_path(path), mask_references(old), mask_references(new))


def _is_secret(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    return "$secret" in old or "$secret" in new


def diff_artifacts(old: Mapping[str, Any], new: Mapping[str, Any], label: str) -> Report:
    """What changed from ``old`` to ``new`` (artifacts as plain data)."""
    report = Report(label)
    if old.get("schema_version") != new.get("schema_version"):
        report.changes.append(
            Change(
                "envelope",
                "schema_version",
                old.get("schema_version"),
                new.get("schema_version"),
                note="schema version changed",
            )
        )
    old_bucketing = (old.get("provenance") or {}).get("flags", {}).get("fractional")
    new_bucketing = (new.get("provenance") or {}).get("flags", {}).get("fractional")
    if old_bucketing and new_bucketing and old_bucketing != new_bucketing:
        report.changes.append(
            Change(
                "envelope",
                "provenance.flags.fractional",
                old_bucketing,
                new_bucketing,
                note="flag bucketing changed: most users move to other buckets",
            )
        )
    old_config, new_config = dict(old.get("config") or {}), dict(new.get("config") or {})
    old_flags, new_flags = old_config.pop("flags", None), new_config.pop("flags", None)
    report.changes += with_moved_users(
        diff_flags(old_flags, new_flags),
        old_flags,
        new_flags,
        old_bucketing or "v3",
        new_bucketing or "v3",
    )
    report.changes += list(diff_tree(old_config, new_config))
    return report


def environment_change(
    env: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
) -> Report:
    """An environment that exists on one side only, said in one line."""
    side = new if new is not None else old
    version = side.get("schema_version") if side is not None else None
    note = (
        f"{'new environment' if new is not None else 'environment removed'} {env} "
        f"(schema {version})"
    )
    return Report(env, [Change("envelope", "environment", note=note)])
