"""A flag in plain words, for a reviewer: who gets which variant.

``targetingKey in [admin@learnapp.example, beta-tester-1, +1]: on; everyone else: 10% on,
90% off``.  Targeting is JsonLogic; the common shapes (an ``if`` chain, allow-lists,
comparisons, ``sem_ver``, ``fractional``) are said as such, anything else as "a custom rule".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

# How many members of an allow-list to name before counting the rest.
SHOWN = 3
_COMPARISONS = {
    "==": "==",
    "===": "==",
    "!=": "!=",
    "!==": "!=",
    "<": "<",
    "<=": "<=",
    ">": ">",
    ">=": ">=",
}


def flag_type(flag: Mapping[str, Any]) -> str:
    """What a client asks for the flag with, in OpenFeature's words (boolean, string, integer,
    float, object), or "mixed" when the variants differ."""
    kinds = {_kind(value) for value in (flag.get("variants") or {}).values()}
    if kinds == {"integer", "float"}:
        return "float"  # 1 and 1.5 are both floats to a client
    return kinds.pop() if len(kinds) == 1 else "mixed"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    return "string" if isinstance(value, str) else "object"


def summarize(flag: Mapping[str, Any]) -> str:
    """Who gets what, in one line."""
    if flag.get("state") == "DISABLED":
        return "disabled: every caller gets its own default"
    default = flag.get("defaultVariant")
    targeting = flag.get("targeting")
    if not targeting:
        return f"everyone: {_variant(default)}"
    return _rule(targeting, default)


def _variant(name: Any) -> str:
    if name is None:
        return "the caller's default"
    return str(name).lower() if isinstance(name, bool) else str(name)


def _rule(rule: Any, default: Any) -> str:
    """A rule that chooses a variant."""
    if isinstance(rule, Mapping) and len(rule) == 1:
        ((op, args),) = rule.items()
        if op in ("if", "?:") and isinstance(args, list):
            return _if(args, default)
        if op == "fractional":
            return _split(args)
    if rule is None:
        return _variant(default)
    if isinstance(rule, (str, bool)):
        return _variant(rule)
    return f"a custom rule, else {_variant(default)}"


def _if(args: list[Any], default: Any) -> str:
    parts = []
    for index in range(0, len(args) - 1, 2):
        parts.append(f"{_condition(args[index])}: {_rule(args[index + 1], default)}")
    rest = args[-1] if len(args) % 2 == 1 else None
    last = "everyone else" if parts else "everyone"
    parts.append(f"{last}: {_rule(rest, default)}")
    return "; ".join(parts)


def _split(args: Any) -> str:
    """``fractional``: each variant's share, and what the users are bucketed by."""
    if not isinstance(args, list) or not args:
        return "a split"
    shorthand = isinstance(args[0], list)
    buckets = args if shorthand else args[1:]
    weights = [(str(b[0]), b[1] if len(b) > 1 else 1) for b in buckets if isinstance(b, list) and b]
    total = sum(w for _, w in weights if isinstance(w, (int, float)))
    if not total or not all(isinstance(w, (int, float)) for _, w in weights):
        return "a split with weights read from the context"
    shares = ", ".join(f"{_percent(100 * w / total)} {name}" for name, w in weights)
    return shares if shorthand else f"{shares} (by {_operand(args[0])})"


def _percent(value: float) -> str:
    return f"{value:.4g}%"


def _condition(rule: Any) -> str:
    if not isinstance(rule, Mapping) or len(rule) != 1:
        return json.dumps(rule)
    ((op, args),) = rule.items()
    args = args if isinstance(args, list) else [args]
    if op == "in" and len(args) == 2:
        return _membership(args[0], args[1])
    if op in _COMPARISONS and len(args) == 2:
        return f"{_operand(args[0])} {_COMPARISONS[op]} {_operand(args[1])}"
    if op == "sem_ver" and len(args) == 3:
        return f"{_operand(args[0])} {args[1]} {args[2]}"
    if op in ("starts_with", "ends_with") and len(args) == 2:
        verb = "starts with" if op == "starts_with" else "ends with"
        return f"{_operand(args[0])} {verb} {_operand(args[1])}"
    if op in ("and", "or"):
        return f" {op} ".join(_condition(arg) for arg in args)
    if op == "!" and args:
        return f"not ({_condition(args[0])})"
    return "a custom condition"


def _membership(needle: Any, haystack: Any) -> str:
    if isinstance(haystack, list):
        shown = ", ".join(str(item) for item in haystack[:SHOWN])
        more = f", +{len(haystack) - SHOWN}" if len(haystack) > SHOWN else ""
        return f"{_operand(needle)} in [{shown}{more}]"
    return f"{_operand(haystack)} contains {_operand(needle)}"


def _operand(value: Any) -> str:
    if isinstance(value, Mapping) and set(value) == {"var"}:
        path = value["var"]
        return str(path[0] if isinstance(path, list) and path else path)
    return json.dumps(value)
