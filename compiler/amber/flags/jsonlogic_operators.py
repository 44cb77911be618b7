"""JsonLogic's standard operators on evaluated arguments, as json-logic-js defines them.

Where flagd's Python and Go evaluators disagree, JavaScript's answer is used: ``%`` keeps the
dividend's sign, ``cat`` prints numbers and booleans as JavaScript does, and ``/`` by zero
gives an infinity.  Standard library only.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from amber.flags.javascript import (
    NAN,
    is_number,
    less,
    less_equal,
    loose_equal,
    strict_equal,
    to_number,
    to_string,
    truthy,
)

# An operator receives the data and its evaluated arguments.
Operator = Callable[..., Any]

log = logging.getLogger("amber.flags")


def op_less(_: Any, a: Any = None, b: Any = None, c: Any = None, *__: Any) -> bool:
    return less(a, b) and less(b, c) if c is not None else less(a, b)


def op_less_equal(_: Any, a: Any = None, b: Any = None, c: Any = None, *__: Any) -> bool:
    return less_equal(a, b) and less_equal(b, c) if c is not None else less_equal(a, b)


def op_greater(_: Any, a: Any = None, b: Any = None, c: Any = None, *__: Any) -> bool:
    return less(b, a) and less(c, b) if c is not None else less(b, a)


def op_greater_equal(_: Any, a: Any = None, b: Any = None, c: Any = None, *__: Any) -> bool:
    return less_equal(b, a) and less_equal(c, b) if c is not None else less_equal(b, a)


def _number_result(value: float | int) -> float | int:
    """Integral results stay integers, as JSON has one number type."""
    if type(value) is float and value.is_integer() and abs(value) <= 2**53:
        return int(value)
    return value


def op_add(_: Any, *args: Any) -> float | int:
    total: float | int = 0
    for arg in args:  # left to right, rounding as JavaScript does
        total += to_number(arg)
    return _number_result(total)


def op_multiply(_: Any, *args: Any) -> float | int:
    product: float | int = 1
    for arg in args:
        product *= to_number(arg)
    return _number_result(product)


def op_subtract(_: Any, a: Any = None, b: Any = None, *__: Any) -> float | int:
    if b is None:
        return _number_result(-to_number(a))
    return _number_result(to_number(a) - to_number(b))


def op_divide(_: Any, a: Any = None, b: Any = None, *__: Any) -> float | int:
    x, y = to_number(a), to_number(b)
    if y == 0:
        if x == 0 or math.isnan(x):
            return NAN
        return math.copysign(math.inf, x) * math.copysign(1, y)
    return _number_result(x / y)


def op_modulo(_: Any, a: Any = None, b: Any = None, *__: Any) -> float | int:
    x, y = to_number(a), to_number(b)
    if y == 0 or math.isinf(x) or math.isnan(x) or math.isnan(y):
        return NAN
    return _number_result(math.fmod(x, y))


def op_min(_: Any, *args: Any) -> Any:
    return _number_result(min(to_number(a) for a in args)) if args else None


def op_max(_: Any, *args: Any) -> Any:
    return _number_result(max(to_number(a) for a in args)) if args else None


def op_cat(_: Any, *args: Any) -> str:
    return "".join(to_string(a) for a in args)


def op_substr(_: Any, text: Any = None, start: Any = None, length: Any = None, *__: Any) -> str:
    string = to_string(text)
    size = len(string)
    begin = to_number(start)
    if math.isnan(begin):
        begin = 0
    begin = int(begin)
    begin = max(size + begin, 0) if begin < 0 else min(begin, size)
    if length is None:
        return string[begin:]
    count = to_number(length)
    if math.isnan(count):
        return ""
    count = int(count)
    end = max(size + count, begin) if count < 0 else begin + count
    return string[begin:end]


def op_in(_: Any, needle: Any = None, haystack: Any = None, *__: Any) -> bool:
    if isinstance(haystack, (list, tuple)):
        return any(strict_equal(needle, item) for item in haystack)
    if isinstance(haystack, str):
        return to_string(needle) in haystack
    return False


def op_merge(_: Any, *args: Any) -> list[Any]:
    merged: list[Any] = []
    for arg in args:
        if isinstance(arg, (list, tuple)):
            merged.extend(arg)
        else:
            merged.append(arg)
    return merged


def var(data: Any, key: Any = None, default: Any = None, *_: Any) -> Any:
    """``{"var": "a.b.0"}``: a dotted path into the data; ``""`` or null is the data itself."""
    if key is None or key == "" or (isinstance(key, (list, tuple)) and not key):
        return data
    if is_number(key):
        key = to_string(key)
    current = data
    for part in to_string(key).split("."):
        if isinstance(current, Mapping):
            current = current.get(part)
        elif isinstance(current, (list, tuple, str)):
            if part == "length":
                current = len(current)
                continue
            if not part.isdigit() or (len(part) > 1 and part[0] == "0"):
                return default
            index = int(part)
            if index >= len(current):
                return default
            current = current[index]
        else:
            return default
        if current is None:
            return default
    return current


def op_missing(data: Any, *args: Any) -> list[Any]:
    keys: Sequence[Any] = args[0] if args and isinstance(args[0], (list, tuple)) else args
    missing = []
    for key in keys:
        value = var(data, key)
        if value is None or value == "":
            missing.append(key)
    return missing


def op_missing_some(data: Any, need: Any = 0, keys: Any = None, *_: Any) -> list[Any]:
    if not isinstance(keys, (list, tuple)):
        return []
    missing = op_missing(data, keys)
    return [] if len(keys) - len(missing) >= to_number(need) else missing


def op_log(_: Any, value: Any = None, *__: Any) -> Any:
    log.info("jsonlogic log: %r", value)
    return value


OPERATORS: dict[str, Operator] = {
    "var": var,
    "missing": op_missing,
    "missing_some": op_missing_some,
    "==": lambda _, a=None, b=None, *__: loose_equal(a, b),
    "!=": lambda _, a=None, b=None, *__: not loose_equal(a, b),
    "===": lambda _, a=None, b=None, *__: strict_equal(a, b),
    "!==": lambda _, a=None, b=None, *__: not strict_equal(a, b),
    "!": lambda _, a=None, *__: not truthy(a),
    "!!": lambda _, a=None, *__: truthy(a),
    "<": op_less,
    "<=": op_less_equal,
    ">": op_greater,
    ">=": op_greater_equal,
    "+": op_add,
    "-": op_subtract,
    "*": op_multiply,
    "/": op_divide,
    "%": op_modulo,
    "min": op_min,
    "max": op_max,
    "cat": op_cat,
    "substr": op_substr,
    "in": op_in,
    "merge": op_merge,
    "log": op_log,
}
