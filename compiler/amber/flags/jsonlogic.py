"""JsonLogic, compiled once into Python closures.  Standard library only.

Semantics follow the JsonLogic reference (json-logic-js) as flagd's evaluators implement it
(the operators are in ``jsonlogic_operators``, JavaScript's conversions in ``javascript``), so
the same rule means the same thing in every flagd SDK.

A rule with an unknown operator compiles; evaluating that operator raises ``ReferenceError``
(flagd reports PARSE_ERROR), exactly when flagd's evaluator would reach it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from amber.flags.javascript import truthy
from amber.flags.jsonlogic_operators import OPERATORS, Operator, op_in, var

Rule = Callable[[Any], Any]

# Operators that decide which of their arguments to evaluate.
LAZY = frozenset({"if", "?:", "and", "or", "map", "filter", "reduce", "all", "some", "none"})


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
