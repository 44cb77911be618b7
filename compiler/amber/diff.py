"""A reviewer's diff of compiled config: by JSON path, with flags described in their own terms.

Secret references are shown masked, a schema version change and a change of flag bucketing are
called out, and flag changes read as what they do: a state flip, a new default variant, a
rollout from 10% to 20%, an allow-list that grew by two.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from amber.paths import Segment, format_path
from amber.secrets import mask_references


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed", "changed", "flag", "envelope"
    path: str
    old: Any = None
    new: Any = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": self.path,
            "old": self.old,
            "new": self.new,
            "note": self.note,
        }


@dataclass
class Report:
    label: str
    changes: list[Change] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not self.changes


def _show(value: Any) -> str:
    return json.dumps(mask_references(value), ensure_ascii=False, sort_keys=True)


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


# --- flags -------------------------------------------------------------------------------


def _walk(rule: Any) -> Iterator[tuple[str, list[Any]]]:
    if isinstance(rule, list):
        for item in rule:
            yield from _walk(item)
    elif isinstance(rule, Mapping) and len(rule) == 1:
        ((op, raw),) = rule.items()
        args = list(raw) if isinstance(raw, list) else [raw]
        yield op, args
        for arg in args:
            yield from _walk(arg)


def rollouts(targeting: Any) -> list[dict[str, float]]:
    """Each ``fractional`` split in a rule, as variant -> percent."""
    found = []
    for op, args in _walk(targeting):
        if op != "fractional":
            continue
        buckets = args if args and isinstance(args[0], list) else args[1:]
        weights: dict[str, float] = {}
        for bucket in buckets:
            if isinstance(bucket, list) and bucket and isinstance(bucket[0], str):
                weight = bucket[1] if len(bucket) > 1 else 1
                if isinstance(weight, (int, float)):
                    weights[bucket[0]] = weights.get(bucket[0], 0) + weight
        total = sum(weights.values())
        if total > 0:
            found.append({name: 100 * w / total for name, w in weights.items()})
    return found


def allow_lists(targeting: Any) -> list[tuple[str, list[Any]]]:
    """Each ``{"in": [{"var": attr}, [values...]]}`` in a rule: who is let in by name."""
    found = []
    for op, args in _walk(targeting):
        if op == "in" and len(args) == 2 and isinstance(args[1], list):
            needle = args[0]
            if isinstance(needle, Mapping) and "var" in needle:
                attribute = needle["var"]
                attribute = attribute[0] if isinstance(attribute, list) else attribute
                found.append((str(attribute), list(args[1])))
    return found


def _percent(value: float) -> str:
    return f"{value:.4g}%"


def diff_flag(key: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    path = format_path(["flags", key])
    notes = []
    if old.get("state") != new.get("state"):
        notes.append(f"state {old.get('state')} -> {new.get('state')}")
    if old.get("defaultVariant") != new.get("defaultVariant"):
        notes.append(f"default variant {old.get('defaultVariant')} -> {new.get('defaultVariant')}")
    old_variants, new_variants = old.get("variants") or {}, new.get("variants") or {}
    for name in sorted(set(old_variants) | set(new_variants)):
        if name not in new_variants:
            notes.append(f"variant {name!r} removed")
        elif name not in old_variants:
            notes.append(f"variant {name!r} added ({_show(new_variants[name])})")
        elif old_variants[name] != new_variants[name]:
            notes.append(
                f"variant {name!r} {_show(old_variants[name])} -> {_show(new_variants[name])}"
            )
    old_rule, new_rule = old.get("targeting"), new.get("targeting")
    if old_rule != new_rule:
        explained = False
        for before, after in zip(rollouts(old_rule), rollouts(new_rule), strict=False):
            names = list(after) + [name for name in before if name not in after]
            moves = [
                f"{name} {_percent(before.get(name, 0))} -> {_percent(after.get(name, 0))}"
                for name in names
                if before.get(name, 0) != after.get(name, 0)
            ]
            if moves:
                notes.append(f"rollout {', '.join(moves)}")
                explained = True
        for (attr, before_list), (attr2, after_list) in zip(
            allow_lists(old_rule), allow_lists(new_rule), strict=False
        ):
            if attr != attr2 or before_list == after_list:
                continue
            added = [v for v in after_list if v not in before_list]
            removed = [v for v in before_list if v not in after_list]
            size = len(after_list) - len(before_list)
            trend = (
                f"grew by {size}" if size > 0 else f"shrank by {-size}" if size < 0 else "changed"
            )
            members = ", ".join([f"+{v}" for v in added] + [f"-{v}" for v in removed])
            notes.append(f"{attr} list {trend} ({members})")
            explained = True
        if not explained or len(rollouts(old_rule)) != len(rollouts(new_rule)):
            notes.append("targeting changed")
    if old.get("metadata") != new.get("metadata"):
        notes.append(f"metadata {_show(old.get('metadata'))} -> {_show(new.get('metadata'))}")
    return [Change("flag", path, note=note) for note in notes]


def diff_flags(old: Any, new: Any) -> list[Change]:
    old = old if isinstance(old, Mapping) else {}
    new = new if isinstance(new, Mapping) else {}
    changes = []
    for key in sorted(set(old) | set(new)):
        path = format_path(["flags", key])
        if key not in new:
            changes.append(Change("flag", path, note="flag removed"))
        elif key not in old:
            flag = new[key]
            state = flag.get("state") if isinstance(flag, Mapping) else None
            default = flag.get("defaultVariant") if isinstance(flag, Mapping) else None
            changes.append(Change("flag", path, note=f"flag added ({state}, default {default})"))
        elif old[key] != new[key]:
            changes += diff_flag(key, old[key], new[key])
    return changes


# --- artifacts ---------------------------------------------------------------------------


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
    report.changes += diff_flags(old_config.pop("flags", None), new_config.pop("flags", None))
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


# --- output ------------------------------------------------------------------------------

_MARKS = {"added": "+", "removed": "-", "changed": "~", "flag": "*", "envelope": "!"}


def _line(change: Change) -> str:
    mark = _MARKS[change.kind]
    if change.kind == "added":
        return f"{mark} {change.path}: {_show(change.new)}"
    if change.kind == "removed":
        return f"{mark} {change.path}: {_show(change.old)}"
    if change.kind == "changed":
        return f"{mark} {change.path}: {_show(change.old)} -> {_show(change.new)}"
    if change.kind == "envelope" and change.old is None and change.new is None:
        return f"{mark} {change.path}: {change.note}"
    if change.kind == "envelope":
        return f"{mark} {change.path}: {change.old} -> {change.new} ({change.note})"
    return f"{mark} {change.path}: {change.note}"


def render_text(reports: list[Report]) -> str:
    lines = []
    for report in reports:
        if report.equal:
            lines.append(f"{report.label}: no changes")
            continue
        count = len(report.changes)
        lines.append(f"{report.label}: {count} change{'s' if count != 1 else ''}")
        lines += [f"  {_line(change)}" for change in report.changes]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else _show(value)
    text = text.replace("|", "\\|").replace("\n", " ")
    return f"`{text}`" if text else ""


def render_markdown(reports: list[Report]) -> str:
    changed = [r for r in reports if not r.equal]
    if not changed:
        return "**amber diff**: no environment changed."
    lines = [
        f"**amber diff**: {len(changed)} environment{'s' if len(changed) != 1 else ''} changed.",
        "",
    ]
    for report in changed:
        lines += [f"#### `{report.label}`", "", "| | path | before | after |", "|---|---|---|---|"]
        for change in report.changes:
            if change.kind in ("flag",):
                lines.append(f"| {_MARKS[change.kind]} | `{change.path}` | {change.note} | |")
            else:
                lines.append(
                    f"| {_MARKS[change.kind]} | `{change.path}` | "
                    f"{_cell(change.old) if change.kind != 'added' else ''} | "
                    f"{_cell(change.new) if change.kind != 'removed' else ''} |"
                )
        lines.append("")
    return "\n".join(lines).rstrip()


def to_json(reports: list[Report]) -> dict[str, Any]:
    return {
        "equal": all(r.equal for r in reports),
        "environments": [
            {"label": r.label, "equal": r.equal, "changes": [c.to_json() for c in r.changes]}
            for r in reports
        ],
    }
