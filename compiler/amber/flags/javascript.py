"""JavaScript's conversions and comparisons of JSON values, as json-logic-js uses them.

``""`` is the number 0, ``==`` converts, ``===`` compares JSON types, objects are truthy.
Standard library only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from amber.canonical import format_number

NAN = float("nan")


def is_number(value: Any) -> bool:
    return type(value) is int or type(value) is float


def to_number(value: Any) -> float | int:
    if type(value) is int or type(value) is float:
        return value
    if value is None or value is False:
        return 0
    if value is True:
        return 1
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0
        if text.lower().lstrip("+-") in ("inf", "infinity", "nan") or "_" in text:
            # Python's float() reads these; JavaScript's Number() only reads "Infinity".
            return float(text) if text.lstrip("+-") == "Infinity" else NAN
        try:
            return float(text)
        except ValueError:
            return NAN
    if isinstance(value, (list, tuple)):
        if not value:
            return 0
        return to_number(value[0]) if len(value) == 1 else NAN
    return NAN


def to_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if type(value) is int or type(value) is float:
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return format_number(value)
    if isinstance(value, (list, tuple)):
        return ",".join(to_string(item) for item in value)
    if isinstance(value, Mapping):
        return "[object Object]"
    return str(value)


def truthy(value: Any) -> bool:
    if value is None or value is False:
        return False
    if value is True:
        return True
    if type(value) is float:
        return not math.isnan(value) and value != 0
    if isinstance(value, (str, int, list, tuple)):
        return bool(value)
    return True  # objects are truthy, even empty ones


def loose_equal(a: Any, b: Any) -> bool:
    """JavaScript's ``==`` on JSON values."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return to_number(a) == to_number(b)
    if is_number(a) and is_number(b):
        return bool(a == b)
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if is_number(a) or is_number(b):
        return to_number(a) == to_number(b)
    # An object or array against a string: compared as their string forms.
    if isinstance(a, str) or isinstance(b, str):
        return to_string(a) == to_string(b)
    return a is b


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object"


def strict_equal(a: Any, b: Any) -> bool:
    """JavaScript's ``===``: same JSON type and value; objects only to themselves."""
    kind = _json_type(a)
    if kind != _json_type(b):
        return False
    if kind == "object":
        return a is b
    return bool(a == b)


def _compare(a: Any, b: Any) -> tuple[Any, Any]:
    """The operands of ``<`` as JavaScript compares them: strings as strings, else numbers."""
    if isinstance(a, str) and isinstance(b, str):
        return a, b
    return to_number(a), to_number(b)


def less(a: Any, b: Any) -> bool:
    x, y = _compare(a, b)
    return bool(x < y)


def less_equal(a: Any, b: Any) -> bool:
    x, y = _compare(a, b)
    return bool(x <= y)
