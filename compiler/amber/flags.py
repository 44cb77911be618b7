"""Feature flags: flagd's evaluation, as a pure function of definition, context and clock.

``FlagSet`` compiles each flag's targeting into closures on first use and evaluates it the way
flagd does: the same value, variant, reason and error code.  Stdlib plus ``mmh3``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from amber import flagd, jsonlogic
from amber.canonical import format_number

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


@dataclass(frozen=True)
class Evaluation:
    """The outcome of evaluating one flag for one context."""

    key: str
    value: Any
    variant: str | None
    reason: str
    error_code: str | None = None
    error_message: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)


def type_of(value: Any) -> str | None:
    """The flag type a caller's default implies (None: no check)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, (Mapping, list, tuple)):
        return "object"
    return None


def _matches(value: Any, expected: str) -> bool:
    if expected == "boolean":
        return isinstance(value, bool)
    if expected == "string":
        return isinstance(value, str)
    if expected == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, (Mapping, list, tuple))


def variant_key(result: Any) -> str | None:
    """What a targeting result names: booleans and numbers as their JSON text."""
    if result is True:
        return "true"
    if result is False:
        return "false"
    if isinstance(result, str):
        return result
    if isinstance(result, (int, float)):
        return format_number(result) if result == result and abs(result) != float("inf") else None
    return None


class _Flag:
    """One flag definition, its targeting compiled on first use."""

    __slots__ = ("definition", "key", "operators", "rule")

    def __init__(self, key: str, definition: Mapping[str, Any], operators: Any) -> None:
        self.key = key
        self.definition = definition
        self.operators = operators
        self.rule: jsonlogic.Rule | None = None

    def compiled(self) -> jsonlogic.Rule:
        # Two threads may both compile on first use; either result is the same closure.
        if self.rule is None:
            self.rule = jsonlogic.compile_rule(self.definition.get("targeting"), self.operators)
        return self.rule


class FlagSet:
    """The flags of one config: ``key -> flagd definition``."""

    def __init__(
        self,
        flags: Mapping[str, Any],
        *,
        fractional: str = "v3",
        clock: Callable[[], float] = time.time,
    ) -> None:
        operators = flagd.operators(fractional)
        self.fractional = fractional
        self._clock = clock
        self._flags = {
            key: _Flag(key, definition, operators)
            for key, definition in flags.items()
            if isinstance(definition, Mapping)
        }

    def keys(self) -> list[str]:
        return list(self._flags)

    def evaluate(
        self,
        key: str,
        context: Mapping[str, Any] | None = None,
        default: Any = None,
        *,
        expected: str | None = None,
    ) -> Evaluation:
        """flagd's decision for flag ``key``; never raises for a problem with the flag."""
        if expected is None:
            expected = type_of(default)
        elif expected not in TYPES:
            raise ValueError(f"type must be one of {', '.join(TYPES)}, not {expected!r}")
        flag = self._flags.get(key)
        if flag is None:
            return _error(key, default, FLAG_NOT_FOUND, f"flag {key!r} is not defined")
        try:
            return self._resolve(flag, context or {}, default, expected)
        except ReferenceError as exc:
            return _error(key, default, PARSE_ERROR, str(exc))
        except Exception as exc:  # noqa: BLE001 - flagd reports any evaluation failure as GENERAL
            return _error(key, default, GENERAL, f"{type(exc).__name__}: {exc}")

    def _resolve(
        self, flag: _Flag, context: Mapping[str, Any], default: Any, expected: str | None
    ) -> Evaluation:
        definition = flag.definition
        metadata = definition.get("metadata") or {}
        if definition.get("state") == "DISABLED":
            return Evaluation(flag.key, default, None, DISABLED, metadata=metadata)
        targeting = definition.get("targeting")
        if not targeting:
            return self._default(flag, default, expected, STATIC, metadata)
        if not isinstance(targeting, Mapping):
            return _error(flag.key, default, PARSE_ERROR, "targeting is not an object")
        data = dict(context)
        data["$flagd"] = {"flagKey": flag.key, "timestamp": int(self._clock())}
        data["targetingKey"] = context.get("targetingKey")
        result = flag.compiled()(data)
        if result is None:
            return self._default(flag, default, expected, DEFAULT, metadata)
        name = variant_key(result)
        variants = definition.get("variants") or {}
        if name is None or name not in variants:
            return _error(flag.key, default, GENERAL, f"targeting chose {result!r}, not a variant")
        return self._typed(
            flag.key, variants[name], name, TARGETING_MATCH, default, expected, metadata
        )

    def _default(
        self,
        flag: _Flag,
        default: Any,
        expected: str | None,
        reason: str,
        metadata: Mapping[str, Any],
    ) -> Evaluation:
        definition = flag.definition
        name = definition.get("defaultVariant")
        if name is True or name is False:
            name = "true" if name else "false"
        if not name:  # no default variant: the caller's default
            return Evaluation(flag.key, default, None, DEFAULT, metadata=metadata)
        variants = definition.get("variants") or {}
        if name not in variants:
            return _error(flag.key, default, GENERAL, f"default variant {name!r} is not a variant")
        return self._typed(flag.key, variants[name], name, reason, default, expected, metadata)

    @staticmethod
    def _typed(
        key: str,
        value: Any,
        variant: str,
        reason: str,
        default: Any,
        expected: str | None,
        metadata: Mapping[str, Any],
    ) -> Evaluation:
        if expected is not None and not _matches(value, expected):
            message = f"flag {key!r} is not {expected}: variant {variant!r} is {value!r}"
            return _error(key, default, TYPE_MISMATCH, message)
        if expected == "float" and isinstance(value, int):
            value = float(value)
        return Evaluation(key, value, variant, reason, metadata=metadata)


def _error(key: str, default: Any, code: str, message: str) -> Evaluation:
    return Evaluation(key, default, None, ERROR, error_code=code, error_message=message)
