"""JsonLogic, compiled once into Python closures.  Standard library only.

Semantics follow the JsonLogic reference (json-logic-js) as flagd's evaluators implement it;
where flagd's Python and Go evaluators disagree with each other, JavaScript's answer is used,
so the same rule means the same thing in every flagd SDK:
``%`` keeps the dividend's sign, ``""`` is the number 0, ``cat`` prints numbers and booleans as
JavaScript does, ``===`` compares JSON types, and ``/`` by zero gives an infinity.

A rule with an unknown operator compiles; evaluating that operator raises ``ReferenceError``
(flagd reports PARSE_ERROR), exactly when flagd's evaluator would reach it.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from amber.canonical import format_number

Rule = Callable[[Any], Any]
# An operator receives the data and its evaluated arguments.
Operator = Callable[..., Any]

log = logging.getLogger("amber.flags")
NAN = float("nan")


# --- JavaScript's conversions ------------------------------------------------------------


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


# --- operators on evaluated arguments ------------------------------------------------------


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


def _less(a: Any, b: Any) -> bool:
    x, y = _compare(a, b)
    return bool(x < y)


def _less_equal(a: Any, b: Any) -> bool:
    x, y = _compare(a, b)
    return bool(x <= y)


def op_less(_: Any, a: Any = None, b: Any = None, c: Any = None, *__: Any) -> bool:
    return _less(a, b) and _less(b, c) if c is not None else _less(a, b)


def op_less_equal(_: Any, a: Any = None, b: Any = None, c: Any = None, *__: Any) -> bool:
    return _less_equal(a, b) and _less_equal(b, c) if c is not None else _less_equal(a, b)


def op_greater(_: Any, a: Any = None, b: Any = None, c: Any = None, *__: Any) -> bool:
    return _less(b, a) and _less(c, b) if c is not None else _less(b, a)


def op_greater_equal(_: Any, a: Any = None, b: Any = None, c: Any = None, *__: Any) -> bool:
    return _less_equal(b, a) and _less_equal(c, b) if c is not None else _less_equal(b, a)


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

# Operators that decide which of their arguments to evaluate.
LAZY = frozenset({"if", "?:", "and", "or", "map", "filter", "reduce", "all", "some", "none"})


# --- the compiler ------------------------------------------------------------------------


Specializer = Callable[[list[Any], Callable[[Any], Rule]], "Rule | None"]


def is_constant(logic: Any) -> bool:
    """Does ``logic`` evaluate to itself, whatever the data?"""
    if isinstance(logic, (list, tuple)):
        return all(is_constant(item) for item in logic)
    return not (isinstance(logic, Mapping) and len(logic) == 1)


def compile_rule(
    logic: Any,
    operators: Mapping[str, Operator] = OPERATORS,
    specializers: Mapping[str, Specializer] | None = None,
) -> Rule:
    """A function of the data that evaluates ``logic``.

    ``specializers`` may compile an operator with constant arguments into something faster
    (flagd's ``fractional`` with fixed buckets); they return None to decline.
    """
    specializers = specializers or {}

    def recurse(item: Any) -> Rule:
        return compile_rule(item, operators, specializers)

    if is_constant(logic):
        return lambda data: logic  # literals, and arrays of literals, are built once
    if isinstance(logic, (list, tuple)):
        items = [recurse(item) for item in logic]
        return lambda data: [item(data) for item in items]
    ((op, raw),) = logic.items()
    args = list(raw) if isinstance(raw, (list, tuple)) else [raw]
    if op in specializers:
        special = specializers[op](args, recurse)
        if special is not None:
            return special
    if op in LAZY:
        return _compile_lazy(op, args, recurse)
    if (
        op == "var"
        and args
        and isinstance(args[0], str)
        and (len(args) == 1 or (len(args) == 2 and is_constant(args[1])))
    ):  # a default that is itself a rule is evaluated by the general path below
        return _compile_var(args[0], args[1] if len(args) > 1 else None)
    if (
        op == "in"
        and len(args) == 2
        and isinstance(args[1], (list, tuple))
        and is_constant(args[1])
    ):
        return _compile_in_list(recurse(args[0]), args[1])
    compiled = [recurse(arg) for arg in args]
    function = operators.get(op)
    if function is None:

        def unknown(data: Any) -> Any:
            raise ReferenceError(f"unknown JsonLogic operator {op!r}")

        return unknown
    if len(compiled) == 1:
        (only,) = compiled
        return lambda data: function(data, only(data))
    if len(compiled) == 2:
        first, second = compiled
        return lambda data: function(data, first(data), second(data))
    return lambda data: function(data, *[arg(data) for arg in compiled])


def _compile_in_list(needle: Rule, haystack: Sequence[Any]) -> Rule:
    """``in`` a fixed list: a set lookup for strings (an allow-list), the general rule else."""
    strings = frozenset(item for item in haystack if isinstance(item, str))

    def in_list(data: Any) -> bool:
        value = needle(data)
        if type(value) is str:
            return value in strings
        return op_in(data, value, haystack)

    return in_list


def _compile_var(path: str, default: Any) -> Rule:
    if path == "":
        return lambda data: data
    parts = path.split(".")
    if len(parts) == 1 and not parts[0].isdigit() and parts[0] != "length":
        key = parts[0]

        def simple(data: Any) -> Any:
            if type(data) is dict or isinstance(data, Mapping):
                value = data.get(key)
                return default if value is None else value
            return var(data, key, default)

        return simple
    return lambda data: var(data, path, default)


def _compile_lazy(op: str, args: list[Any], recurse: Callable[[Any], Rule]) -> Rule:
    compiled = [recurse(arg) for arg in args]
    if op in ("if", "?:"):
        return _compile_if(compiled)
    if op == "and":

        def and_(data: Any) -> Any:
            value = None
            for arg in compiled:
                value = arg(data)
                if not truthy(value):
                    return value
            return value

        return and_
    if op == "or":

        def or_(data: Any) -> Any:
            value = None
            for arg in compiled:
                value = arg(data)
                if truthy(value):
                    return value
            return value

        return or_
    items = compiled[0] if compiled else (lambda data: None)
    body = compiled[1] if len(compiled) > 1 else (lambda data: None)
    if op == "map":
        return lambda data: [body(x) for x in _items(items(data))] if compiled else []
    if op == "filter":
        return lambda data: [x for x in _items(items(data)) if truthy(body(x))] if compiled else []
    if op == "all":

        def all_(data: Any) -> bool:
            values = _items(items(data)) if len(compiled) > 1 else []
            return bool(values) and all(truthy(body(x)) for x in values)

        return all_
    if op == "some":
        return lambda data: len(compiled) > 1 and any(truthy(body(x)) for x in _items(items(data)))
    if op == "none":
        return lambda data: (
            not (len(compiled) > 1 and any(truthy(body(x)) for x in _items(items(data))))
        )
    # reduce
    initial = compiled[2] if len(compiled) > 2 else (lambda data: None)

    def reduce_(data: Any) -> Any:
        accumulator = initial(data)
        values = items(data)
        if not isinstance(values, (list, tuple)):
            return accumulator
        for value in values:
            accumulator = body({"current": value, "accumulator": accumulator})
        return accumulator

    return reduce_


def _items(value: Any) -> Sequence[Any]:
    return value if isinstance(value, (list, tuple)) else []


def _compile_if(compiled: list[Rule]) -> Rule:
    if not compiled:
        return lambda data: None
    if len(compiled) == 3:  # the common form, without the loop
        condition, then, otherwise = compiled

        def if_else(data: Any) -> Any:
            test = condition(data)
            if test is True or (test is not False and truthy(test)):
                return then(data)
            return otherwise(data)

        return if_else

    def if_(data: Any) -> Any:
        index = 0
        last = len(compiled) - 1
        while index < last:
            if truthy(compiled[index](data)):
                return compiled[index + 1](data)
            index += 2
        return compiled[index](data) if index == last else None

    return if_


def reads_whole_context(logic: Any) -> bool:
    """Might ``logic`` read data beyond plain attributes (``$flagd``, the whole data, or a
    path computed at run time)?  If not, an evaluator need not build the injected context."""
    if isinstance(logic, (list, tuple)):
        return any(reads_whole_context(item) for item in logic)
    if not isinstance(logic, Mapping) or len(logic) != 1:
        return False
    ((op, raw),) = logic.items()
    args = list(raw) if isinstance(raw, (list, tuple)) else [raw]
    if op == "fractional":
        return True  # hashes $flagd.flagKey (an evaluator that knows the key may say otherwise)
    if op == "var" and not args:
        return True  # {"var": []} is the whole data
    if op in ("var", "missing", "missing_some"):
        paths = args[:1] if op == "var" else args[1:] if op == "missing_some" else args
        for path in paths:
            if isinstance(path, (list, tuple)):
                if any(not isinstance(p, str) or not p or p.startswith("$flagd") for p in path):
                    return True
            elif not isinstance(path, str) or not path or path.startswith("$flagd"):
                return True
    if op in ("map", "filter", "reduce", "all", "some", "none"):
        # inside these, var reads the element; only the list expression reads the data
        return reads_whole_context(args[:1])
    return any(reads_whole_context(arg) for arg in args)


def evaluate(logic: Any, data: Any, operators: Mapping[str, Operator] = OPERATORS) -> Any:
    """Compile and evaluate once (tests and one-off use)."""
    return compile_rule(logic, operators)(data)
