"""The breaking-change guard: is a new schema version a safe successor of the one before?

Two schemas are compared keyword by keyword, with references resolved.  A change that can turn
a config valid under the old schema into an invalid one is **breaking** (a removed or renamed
field, a narrowed type, range, length or enum, a new constraint, a new required field without
a ``default``) and needs a new major version.  A change that only accepts more (a new optional
field, a new required field with a ``default``, a widened range) is an **addition** and needs
at least a new minor version.  Anything else (titles, descriptions) needs no more than a patch.
Changes the guard cannot prove safe (a changed ``pattern``, ``oneOf``, ...) count as breaking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from amber.jsonpath import Segment, format_path

Path = tuple[Segment, ...]

# Keywords that change nothing about which configs validate.
ANNOTATIONS = {
    "title",
    "description",
    "$comment",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$id",
    "$schema",
    "$anchor",
    "$defs",
    "definitions",
}
LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
TYPES_WIDER = {"integer": {"integer", "number"}}


@dataclass
class Changes:
    breaking: list[str] = field(default_factory=list)
    additions: list[str] = field(default_factory=list)
    cosmetic: list[str] = field(default_factory=list)

    @property
    def level(self) -> str:
        """ "major", "minor", "patch" or "none": the least version bump the change needs."""
        if self.breaking:
            return "major"
        if self.additions:
            return "minor"
        return "patch" if self.cosmetic else "none"


def _types(schema: dict[str, Any]) -> set[str] | None:
    kind = schema.get("type")
    if kind is None:
        return None
    kinds = {kind} if isinstance(kind, str) else set(kind)
    if "number" in kinds:
        kinds.add("integer")  # every integer is a number
    return kinds


def _where(path: Path) -> str:
    """A readable path; ``[]`` is "every item", ``*`` "every other field", ``(keys)`` keys."""
    text = ""
    for segment in path:
        if segment == "[]":
            text += "[]"
        elif segment in ("*", "(keys)"):
            text += f".{segment}" if text else str(segment)
        else:
            text += format_path([segment]) if not text else "." + format_path([segment])
    return text or "(root)"


def compare(old: Any, new: Any, path: Path = (), changes: Changes | None = None) -> Changes:
    """Classify the differences between two resolved schemas."""
    changes = changes if changes is not None else Changes()
    if old == new:
        return changes
    if old is True or old == {}:
        if new is not True and new != {}:
            changes.breaking.append(f"{_where(path)}: a constraint was added where there was none")
        return changes
    if new is True or new == {}:
        changes.additions.append(f"{_where(path)}: every constraint was removed")
        return changes
    if old is False or new is False or not isinstance(old, dict) or not isinstance(new, dict):
        changes.breaking.append(f"{_where(path)}: the schema changed in a way Amber cannot compare")
        return changes
    where = _where(path)
    for key in sorted((set(old) | set(new)) & ANNOTATIONS - {"$defs", "definitions"}):
        if old.get(key) != new.get(key):
            changes.cosmetic.append(f"{where}: {key} changed")
    _compare_types(old, new, where, changes)
    _compare_bounds(old, new, where, changes)
    _compare_enum(old, new, where, changes)
    _compare_object(old, new, path, changes)
    _compare_array(old, new, path, changes)
    handled = set(ANNOTATIONS) | {
        "type",
        "enum",
        "const",
        "properties",
        "required",
        "additionalProperties",
        "propertyNames",
        "items",
        "uniqueItems",
        "prefixItems",
        *LOWER_BOUNDS,
        *UPPER_BOUNDS,
    }
    for key in sorted((set(old) | set(new)) - handled):
        if old.get(key) == new.get(key):
            continue
        if key not in new:
            changes.additions.append(f"{where}: {key} was removed")
        else:
            changes.breaking.append(
                f"{where}: {key} changed ({old.get(key)!r} -> {new.get(key)!r})"
            )
    return changes


def _compare_types(old: dict[str, Any], new: dict[str, Any], where: str, changes: Changes) -> None:
    before, after = _types(old), _types(new)
    if before == after:
        return
    if after is None:
        changes.additions.append(f"{where}: any type is now allowed")
    elif before is None or not before <= after:
        lost = sorted(before - after) if before is not None else ["any"]
        changes.breaking.append(f"{where}: type narrowed (no longer {', '.join(lost)})")
    else:
        changes.additions.append(f"{where}: type widened to {', '.join(sorted(after))}")


def _compare_bounds(old: dict[str, Any], new: dict[str, Any], where: str, changes: Changes) -> None:
    for key in LOWER_BOUNDS + UPPER_BOUNDS:
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        lower = key in LOWER_BOUNDS
        if b is None:
            changes.additions.append(f"{where}: {key} {a} was removed")
        elif a is None or (b > a if lower else b < a):
            changes.breaking.append(f"{where}: {key} narrowed ({a} -> {b})")
        else:
            changes.additions.append(f"{where}: {key} widened ({a} -> {b})")


def _values(schema: dict[str, Any]) -> list[Any] | None:
    if "const" in schema:
        return [schema["const"]]
    enum = schema.get("enum")
    return list(enum) if isinstance(enum, list) else None


def _compare_enum(old: dict[str, Any], new: dict[str, Any], where: str, changes: Changes) -> None:
    before, after = _values(old), _values(new)
    if before == after:
        return
    if after is None:
        changes.additions.append(f"{where}: any value is now allowed")
    elif before is None:
        changes.breaking.append(f"{where}: values are now limited to {after!r}")
    else:
        removed = [v for v in before if v not in after]
        added = [v for v in after if v not in before]
        if removed:
            changes.breaking.append(f"{where}: values removed from the enum: {removed!r}")
        if added:
            changes.additions.append(f"{where}: values added to the enum: {added!r}")


def _compare_object(old: dict[str, Any], new: dict[str, Any], path: Path, changes: Changes) -> None:
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    old_extra = old.get("additionalProperties", True)
    new_extra = new.get("additionalProperties", True)
    for name in sorted(set(old_props) - set(new_props)):
        if new_extra is False:
            changes.breaking.append(f"{_where((*path, name))}: field removed (or renamed)")
        else:
            compare(old_props[name], new_extra, (*path, name), changes)
    for name in sorted(set(new_props) - set(old_props)):
        if old_extra is False:
            changes.additions.append(f"{_where((*path, name))}: field added")
        else:  # the field was an extra property before: its new schema may narrow it
            compare(old_extra, new_props[name], (*path, name), changes)
    for name in sorted(set(old_props) & set(new_props)):
        compare(old_props[name], new_props[name], (*path, name), changes)
    old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
    for name in sorted(new_required - old_required):
        prop = new_props.get(name, {})
        if name in old_props or not (isinstance(prop, dict) and "default" in prop):
            changes.breaking.append(f"{_where((*path, name))}: now required, with no default")
        else:
            changes.additions.append(f"{_where((*path, name))}: required, with a default")
    for name in sorted(old_required - new_required):
        changes.additions.append(f"{_where((*path, name))}: no longer required")
    if old_extra != new_extra:
        compare(old_extra, new_extra, (*path, "*"), changes)
    if old.get("propertyNames") != new.get("propertyNames"):
        compare(
            old.get("propertyNames", True),
            new.get("propertyNames", True),
            (*path, "(keys)"),
            changes,
        )


def _compare_array(old: dict[str, Any], new: dict[str, Any], path: Path, changes: Changes) -> None:
    if old.get("items") != new.get("items"):
        compare(old.get("items", True), new.get("items", True), (*path, "[]"), changes)
    if old.get("prefixItems") != new.get("prefixItems"):
        changes.breaking.append(f"{_where(path)}: prefixItems changed")
    if old.get("uniqueItems", False) != new.get("uniqueItems", False):
        target = changes.breaking if new.get("uniqueItems") else changes.additions
        target.append(
            f"{_where(path)}: uniqueItems {'added' if new.get('uniqueItems') else 'removed'}"
        )
