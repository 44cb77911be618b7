"""Flag changes said in their own terms: a state flip, a new default variant, a rollout from
10% to 20%, an allow-list that grew by two."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from amber.compiler.diff.report import Change, show
from amber.compiler.flag_simulation import DEFAULT_USERS, describe_moves, moves, population
from amber.flags import FlagSet
from amber.jsonpath import format_path


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
    notes = []
    if old.get("state") != new.get("state"):
        notes.append(f"state {old.get('state')} -> {new.get('state')}")
    if old.get("defaultVariant") != new.get("defaultVariant"):
        notes.append(f"default variant {old.get('defaultVariant')} -> {new.get('defaultVariant')}")
    notes += _variant_notes(old.get("variants") or {}, new.get("variants") or {})
    old_rule, new_rule = old.get("targeting"), new.get("targeting")
    if old_rule != new_rule:
        explained = _rollout_notes(old_rule, new_rule) + _allow_list_notes(old_rule, new_rule)
        notes += explained
        if not explained or len(rollouts(old_rule)) != len(rollouts(new_rule)):
            notes.append("targeting changed")
    if old.get("metadata") != new.get("metadata"):
        notes.append(f"metadata {show(old.get('metadata'))} -> {show(new.get('metadata'))}")
    path = format_path(["flags", key])
    return [Change("flag", path, note=note) for note in notes]


def _variant_notes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    notes = []
    for name in sorted(set(old) | set(new)):
        if name not in new:
            notes.append(f"variant {name!r} removed")
        elif name not in old:
            notes.append(f"variant {name!r} added ({show(new[name])})")
        elif old[name] != new[name]:
            notes.append(f"variant {name!r} {show(old[name])} -> {show(new[name])}")
    return notes


def _rollout_notes(old_rule: Any, new_rule: Any) -> list[str]:
    notes = []
    for before, after in zip(rollouts(old_rule), rollouts(new_rule), strict=False):
        names = list(after) + [name for name in before if name not in after]
        moves = [
            f"{name} {_percent(before.get(name, 0))} -> {_percent(after.get(name, 0))}"
            for name in names
            if before.get(name, 0) != after.get(name, 0)
        ]
        if moves:
            notes.append(f"rollout {', '.join(moves)}")
    return notes


def _allow_list_notes(old_rule: Any, new_rule: Any) -> list[str]:
    notes = []
    for (attr, before_list), (attr2, after_list) in zip(
        allow_lists(old_rule), allow_lists(new_rule), strict=False
    ):
        if attr != attr2 or before_list == after_list:
            continue
        added = [v for v in after_list if v not in before_list]
        removed = [v for v in before_list if v not in after_list]
        size = len(after_list) - len(before_list)
        trend = f"grew by {size}" if size > 0 else f"shrank by {-size}" if size < 0 else "changed"
        members = ", ".join([f"+{v}" for v in added] + [f"-{v}" for v in removed])
        notes.append(f"{attr} list {trend} ({members})")
    return notes


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


def with_moved_users(
    changes: list[Change], old: Any, new: Any, old_generation: str, new_generation: str
) -> list[Change]:
    """The flag changes, each flag's first one told how many of 10,000 simulated users the
    change gives another variant (measured with the runtime's own evaluator)."""
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        return changes
    regenerated = old_generation != new_generation
    keys = [k for k in sorted(set(old) & set(new)) if old[k] != new[k] or regenerated]
    if not keys:
        return changes
    before = FlagSet(old, fractional=old_generation)
    after = FlagSet(new, fractional=new_generation)
    users = population(DEFAULT_USERS, None)
    out = list(changes)
    for key in keys:
        found = moves(before, after, key, users)
        path = format_path(["flags", key])
        moved = {
            "users": found.users,
            "changed": found.total,
            "moves": [{"from": a, "to": b, "users": n} for (a, b), n in found.moved.items()],
        }
        note = f"simulated: {describe_moves(found)}"
        at = next((i for i, c in enumerate(out) if c.kind == "flag" and c.path == path), None)
        if at is None:
            if found.total:  # only the bucketing changed: say what it does to this flag
                out.append(Change("flag", path, note=note, moved=moved))
        else:
            first = out[at]
            out[at] = replace(first, note=f"{first.note}; {note}", moved=moved)
    return out
