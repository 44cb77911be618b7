"""Feature flags: flagd's evaluation, as a pure function of definition, context and clock.

Each flag is compiled when its flag set is made: its targeting into closures
(``amber.flags.jsonlogic``), a flag without targeting into its precomputed answer.  Evaluation
gives what flagd gives: the same value, variant, reason and error code.  Stdlib plus ``mmh3``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from amber.canonical import format_number
from amber.flags import jsonlogic
from amber.flags.flagd_operators import operators
from amber.flags.fractional import specialize_fractional
from amber.flags.jsonlogic_operators import Operator

# Reasons and error codes, as OpenFeature and flagd name them.
STATIC = "STATIC"
TARGETING_MATCH = "TARGETING_MATCH"
DEFAULT = "DEFAULT"
DISABLED = "DISABLED"
ERROR = "ERROR"
FLAG_NOT_FOUND = "FLAG_NOT_FOUND"
TYPE_MISMATCH = "TYPE_MISMATCH"
PARSE_ERROR = "PARSE_ERROR"
GENERAL = "GENERAL"

TYPES = ("boolean", "string", "integer", "float", "object")
_NO_METADATA: Mapping[str, Any] = MappingProxyType({})


class Evaluation(NamedTuple):
    """The outcome of evaluating one flag for one context."""

    key: str
    value: Any
    variant: str | None
    reason: str
    error_code: str | None = None
    error_message: str | None = None
    metadata: Mapping[str, Any] = _NO_METADATA


# The flag type a caller's default implies; types not listed mean "no check".
_TYPE_OF: dict[type, str] = {
    bool: "boolean",
    str: "string",
    int: "integer",
    float: "float",
    dict: "object",
    list: "object",
    tuple: "object",
}


def _types_of(value: Any) -> frozenset[str]:
    """Every requested type ``value`` satisfies (an integer is also a float)."""
    if isinstance(value, bool):
        return frozenset({"boolean"})
    if isinstance(value, str):
        return frozenset({"string"})
    if isinstance(value, int):
        return frozenset({"integer", "float"})
    if isinstance(value, float):
        return frozenset({"float"})
    if isinstance(value, (Mapping, list, tuple)):
        return frozenset({"object"})
    return frozenset()


def _expected(default: Any) -> str | None:
    """The type a caller's default asks for, if it has one (a FrozenDict is an object)."""
    expected = _TYPE_OF.get(type(default))
    if expected is None and isinstance(default, (dict, tuple)):
        return "object"
    return expected


def variant_key(result: Any) -> str | None:
    """What a targeting result names: booleans and numbers as their JSON text."""
    if result is True:
        return "true"
    if result is False:
        return "false"
    if isinstance(result, str):
        return result
    if isinstance(result, (int, float)) and result == result and abs(result) != float("inf"):
        return format_number(result)
    return None


def _error(key: str, default: Any, code: str, message: str) -> Evaluation:
    return Evaluation(key, default, None, ERROR, code, message)


class _Flag:
    """One flag definition, compiled when its flag set is made."""

    __slots__ = (
        "answers",
        "answers_for",
        "default_variant",
        "definition",
        "disabled",
        "key",
        "metadata",
        "needs_flagd",
        "rule",
        "static_for",
        "statics",
        "targeted",
        "types",
        "variants",
    )

    def __init__(self, key: str, definition: Mapping[str, Any]) -> None:
        self.key = key
        self.definition = definition

    def compile(self, operators: Mapping[str, Operator], fractional: str) -> None:
        definition = self.definition
        variants = definition.get("variants")
        self.variants: Mapping[str, Any] = variants if isinstance(variants, Mapping) else {}
        self.types = {name: _types_of(value) for name, value in self.variants.items()}
        metadata = definition.get("metadata")
        self.metadata: Mapping[str, Any] = (
            metadata if isinstance(metadata, Mapping) else _NO_METADATA
        )
        self.disabled = definition.get("state") == "DISABLED"
        default = definition.get("defaultVariant")
        if default is True or default is False:
            default = "true" if default else "false"
        self.default_variant: str | None = default if isinstance(default, str) and default else None
        self.answers = self._answers()
        # A flag without targeting has one answer per requested type (if the types agree).
        self.statics: dict[str | None, Evaluation] = {}
        self.rule: jsonlogic.Rule | None = None
        self.needs_flagd = True
        targeting = definition.get("targeting")
        if targeting:
            self.rule, self.needs_flagd = _compile_targeting(
                targeting, operators, fractional, self.key
            )
        elif not self.disabled and self.default_variant is not None:
            name = self.default_variant
            self.statics = {
                expected: table[name]._replace(reason=STATIC)
                for expected, table in self.answers.items()
                if name in table
            }
        # The same answers by the type of the caller's default, the common way to ask.
        kinds = (*_TYPE_OF.items(), (type(None), None))
        self.static_for: dict[type, Evaluation] = {
            kind: self.statics[expected] for kind, expected in kinds if expected in self.statics
        }
        self.answers_for = {kind: self.answers[expected] for kind, expected in kinds}
        self.targeted = (
            None if self.rule is None or self.disabled else (self.rule, self.needs_flagd)
        )

    def _answers(self) -> dict[str | None, dict[str, Evaluation]]:
        """Every answer a match can give, built once per requested type: a match allocates
        nothing, and a type check is a dictionary lookup.  None: no type requested."""
        return {
            expected: {
                name: Evaluation(
                    self.key,
                    float(value) if expected == "float" and type(value) is int else value,
                    name,
                    TARGETING_MATCH,
                    None,
                    None,
                    self.metadata,
                )
                for name, value in self.variants.items()
                if expected is None or expected in self.types[name]
            }
            for expected in (None, *TYPES)
        }


def _compile_targeting(
    targeting: Any, operators: Mapping[str, Operator], fractional: str, key: str
) -> tuple[jsonlogic.Rule, bool]:
    """The targeting rule as a function, and whether it needs ``$flagd`` in its data."""
    if not isinstance(targeting, Mapping):
        return _failing("targeting is not an object"), True
    specializers = {"fractional": specialize_fractional(fractional, key)}
    try:
        return jsonlogic.compile_rule(targeting, operators, specializers), _needs_flagd(targeting)
    except RecursionError:  # only from an artifact Amber did not compile
        return _failing("targeting nests too deeply to compile"), True


def _failing(message: str) -> jsonlogic.Rule:
    """A rule that fails as flagd fails on a definition it cannot parse."""

    def fail(data: Any) -> Any:
        raise ReferenceError(message)

    return fail


def _needs_flagd(rule: Any) -> bool:
    """Must the evaluation context carry ``$flagd``?  A ``fractional`` with fixed buckets is
    compiled knowing its flag key; any other reads ``$flagd.flagKey`` from the data."""
    if isinstance(rule, (list, tuple)):
        return any(_needs_flagd(item) for item in rule)
    if isinstance(rule, Mapping) and len(rule) == 1:
        ((op, raw),) = rule.items()
        args = list(raw) if isinstance(raw, (list, tuple)) else [raw]
        if op == "fractional" and args:
            shorthand = isinstance(args[0], (list, tuple))
            buckets = args if shorthand else args[1:]
            if jsonlogic.is_constant(buckets):
                return False if shorthand else _needs_flagd(args[0])
            return True
        if op == "var" or op in ("missing", "missing_some"):
            return jsonlogic.reads_whole_context(rule)
        return any(_needs_flagd(arg) for arg in args) or (
            op in ("map", "filter", "reduce", "all", "some", "none")
            and jsonlogic.reads_whole_context(rule)
        )
    return False


class FlagSet:
    """The flags of one config: ``key -> flagd definition``."""

    def __init__(
        self,
        flags: Mapping[str, Any],
        *,
        fractional: str = "v3",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.fractional = fractional
        self._operators = operators(fractional)
        self._clock = clock
        self._flags = {
            key: _Flag(key, definition)
            for key, definition in flags.items()
            if isinstance(definition, Mapping)
        }
        for flag in self._flags.values():  # once: the runtime makes the set on the first flag read
            flag.compile(self._operators, fractional)

    def evaluate(
        self,
        key: str,
        context: Mapping[str, Any] | None = None,
        default: Any = None,
        *,
        expected: str | None = None,
    ) -> Evaluation:
        """flagd's decision for flag ``key``; never raises for a problem with the flag.

        ``expected`` is the type an OpenFeature client asks for; without it, the type of
        ``default``, if it has one.
        """
        try:
            flag = self._flags[key]
        except (KeyError, TypeError):  # TypeError: a key that cannot be one (a list)
            return _error(key, default, FLAG_NOT_FOUND, f"flag {key!r} is not defined")
        if expected is None:
            kind = type(default)
            static = flag.static_for.get(kind)  # a static flag: one lookup, its answer
            if static is not None:
                return static
            answers = flag.answers_for.get(kind)
            if answers is None:  # a FrozenDict, or a default of no JSON type
                answers = flag.answers[_expected(default)]
        elif expected not in TYPES:
            raise ValueError(f"type must be one of {', '.join(TYPES)}, not {expected!r}")
        else:
            static = flag.statics.get(expected)
            if static is not None:
                return static
            answers = flag.answers[expected]
        targeted = flag.targeted
        if targeted is None:
            return self._untargeted(flag, default, expected or _expected(default))
        # The targeted path, kept flat: it is the one apps call per request.
        rule, needs_flagd = targeted
        try:
            if needs_flagd:
                data = dict(context) if context else {}
                data["$flagd"] = {"flagKey": flag.key, "timestamp": int(self._clock())}
                data["targetingKey"] = context.get("targetingKey") if context else None
                result = rule(data)
            else:  # the rule reads plain attributes only: the caller's context will do
                result = rule(context if context is not None else {})
        except ReferenceError as exc:
            return _error(key, default, PARSE_ERROR, str(exc))
        except Exception as exc:  # noqa: BLE001 - flagd reports any evaluation failure as GENERAL
            return _error(key, default, GENERAL, f"{type(exc).__name__}: {exc}")
        if type(result) is str:
            match = answers.get(result)
            if match is not None:
                return match
        return self._chosen(flag, result, default, expected or _expected(default))

    def _chosen(self, flag: _Flag, result: Any, default: Any, expected: str | None) -> Evaluation:
        """What a targeting result means when it is not simply a variant of the asked type."""
        name = result if type(result) is str else variant_key(result)
        if name is None:
            if result is None:
                return self._named(flag, flag.default_variant, DEFAULT, default, expected)
        else:
            match = flag.answers[expected].get(name)
            if match is not None:
                return match
            if name in flag.variants:  # a variant, of another type than asked for
                return self._named(flag, name, TARGETING_MATCH, default, expected)
        return _error(flag.key, default, GENERAL, f"targeting chose {result!r}, not a variant")

    def _untargeted(self, flag: _Flag, default: Any, expected: str | None) -> Evaluation:
        if flag.disabled:
            return Evaluation(flag.key, default, None, DISABLED, None, None, flag.metadata)
        return self._named(flag, flag.default_variant, STATIC, default, expected)

    @staticmethod
    def _named(
        flag: _Flag, name: str | None, reason: str, default: Any, expected: str | None
    ) -> Evaluation:
        if name is None:  # no default variant: the caller's default
            return Evaluation(flag.key, default, None, DEFAULT, None, None, flag.metadata)
        if name not in flag.variants:
            return _error(flag.key, default, GENERAL, f"variant {name!r} is not defined")
        value = flag.variants[name]
        if expected is not None and expected not in flag.types[name]:
            message = f"flag {flag.key!r} is not {expected}: variant {name!r} is {value!r}"
            return _error(flag.key, default, TYPE_MISMATCH, message)
        if expected == "float" and type(value) is int:
            value = float(value)
        return Evaluation(flag.key, value, name, reason, None, None, flag.metadata)
