"""Compile-time checks of the reserved ``flags`` key: what flagd would only find at runtime.

Every flag: its default variant exists; its variants share one type; every variant its
targeting can return exists; operators are known and have the right number of arguments;
``fractional`` weights are non-negative integers with a positive total; ``sem_ver`` compares
with a known operator.  Warnings: a boolean flag that can never be on, and a rollout whose
weights add up to more than 100.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from amber.errors import Severity
from amber.flags.evaluate import variant_key
from amber.flags.jsonlogic import LAZY
from amber.flags.jsonlogic_operators import OPERATORS
from amber.flags.semver import is_strict_semver, parse_semver
from amber.jsonpath import Segment

FLAGD_OPERATORS = {"fractional", "sem_ver", "starts_with", "ends_with"}
KNOWN = set(OPERATORS) | LAZY | FLAGD_OPERATORS
# (minimum, maximum) argument counts; None: no maximum.
ARITY: dict[str, tuple[int, int | None]] = {
    "var": (0, 2),
    "missing_some": (2, 2),
    "==": (2, 2),
    "===": (2, 2),
    "!=": (2, 2),
    "!==": (2, 2),
    "!": (1, 1),
    "!!": (1, 1),
    "<": (2, 3),
    "<=": (2, 3),
    ">": (2, 2),
    ">=": (2, 2),
    "-": (1, 2),
    "/": (2, 2),
    "%": (2, 2),
    "in": (2, 2),
    "substr": (2, 3),
    "log": (1, 1),
    "map": (2, 2),
    "filter": (2, 2),
    "all": (2, 2),
    "some": (2, 2),
    "none": (2, 2),
    "reduce": (2, 3),
    "and": (1, None),
    "or": (1, None),
    "sem_ver": (3, 3),
    "starts_with": (2, 2),
    "ends_with": (2, 2),
    "fractional": (1, None),
}
SEMVER_OPERATORS = {"=", "!=", "<", "<=", ">", ">=", "^", "~"}
# Operators whose result is a boolean: as a variant it names "true" or "false".
BOOLEAN_RESULT = {
    "==",
    "===",
    "!=",
    "!==",
    "!",
    "!!",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "all",
    "some",
    "none",
    "sem_ver",
    "starts_with",
    "ends_with",
}


@dataclass(frozen=True)
class Finding:
    path: tuple[Segment, ...]
    message: str
    severity: Severity = "error"

    @property
    def code(self) -> str:
        return "flags"


class _Dynamic:
    """A result the checker cannot know before evaluation (a var, a cat, ...)."""


DYNAMIC = _Dynamic()


def _args(raw: Any) -> list[Any]:
    return list(raw) if isinstance(raw, (list, tuple)) else [raw]


def check_rule(rule: Any, path: tuple[Segment, ...]) -> Iterator[Finding]:
    """Unknown operators, wrong argument counts and bad flagd arguments anywhere in a rule."""
    if isinstance(rule, (list, tuple)):
        for index, item in enumerate(rule):
            yield from check_rule(item, (*path, index))
        return
    if not isinstance(rule, Mapping) or len(rule) != 1:
        return
    ((op, raw),) = rule.items()
    where = (*path, op)
    if op not in KNOWN:
        hint = " (share rules with Jsonnet, not $evaluators)" if op == "$ref" else ""
        yield Finding(where, f"unknown operator {op!r}; flagd would answer PARSE_ERROR{hint}")
        return
    args = _args(raw)
    low, high = ARITY.get(op, (0, None))
    if op == "fractional":
        low = 2 if args and not isinstance(args[0], (list, tuple)) else 1
    if len(args) < low or (high is not None and len(args) > high):
        expected = (
            str(low) if low == high else f"{low} or more" if high is None else f"{low}-{high}"
        )
        yield Finding(where, f"{op!r} takes {expected} arguments, not {len(args)}")
    if op == "sem_ver" and len(args) == 3:
        yield from _check_sem_ver(args, where)
    if op == "fractional":
        yield from _check_fractional(args, where)
    for index, arg in enumerate(args):
        yield from check_rule(arg, (*where, index))


def _check_sem_ver(args: list[Any], where: tuple[Segment, ...]) -> Iterator[Finding]:
    operator = args[1]
    if isinstance(operator, str) and operator not in SEMVER_OPERATORS:
        known = " ".join(sorted(SEMVER_OPERATORS))
        yield Finding(where, f"sem_ver operator {operator!r} is not one of {known}")
    for index in (0, 2):
        version = args[index]
        if isinstance(version, str) and parse_semver(version) is None:
            yield Finding((*where, index), f"{version!r} is not a semantic version")
        elif isinstance(version, str) and not is_strict_semver(version):
            # flagd reads "v2.4" as 2.4.0, but its schema (and `amber export`) refuse it.
            yield Finding(
                (*where, index),
                f"{version!r} is read as a version, but flagd's schema requires "
                "MAJOR.MINOR.PATCH (no 'v'); a flagd export refuses it",
                "warning",
            )


def _buckets(args: list[Any]) -> list[Any]:
    return args if args and isinstance(args[0], (list, tuple)) else args[1:]


def _check_fractional(args: list[Any], where: tuple[Segment, ...]) -> Iterator[Finding]:
    if args and not isinstance(args[0], (list, tuple, Mapping)):
        yield Finding(
            (*where, 0),
            f"the bucketing seed {args[0]!r} is the same for every user, so all land in one "
            'bucket; seed with a rule such as {"var": "email"} (flagd\'s schema, and a flagd '
            "export, refuse a literal)",
            "warning",
        )
    total = 0
    dynamic = False
    for index, bucket in enumerate(_buckets(args)):
        at = (*where, index + (0 if args and isinstance(args[0], (list, tuple)) else 1))
        if not isinstance(bucket, (list, tuple)) or not 1 <= len(bucket) <= 2:
            yield Finding(at, "a fractional bucket is [variant] or [variant, weight]")
            continue
        weight = bucket[1] if len(bucket) == 2 else 1
        if isinstance(weight, Mapping):
            dynamic = True
        elif type(weight) is not int or weight < 0:
            yield Finding(at, f"fractional weight {weight!r} is not a non-negative integer")
        else:
            total += weight
    if not dynamic and total <= 0:
        yield Finding(where, "fractional weights add up to 0: no user can be placed")
    elif total > 100:
        yield Finding(
            where,
            f"fractional weights add up to {total}, over 100: if they are percentages, "
            "the rollout is over 100%",
            "warning",
        )


def results(rule: Any) -> list[Any]:
    """What a rule can return, as variant names (None: falls back; DYNAMIC: unknown)."""
    if rule is None:
        return [None]
    if isinstance(rule, (str, bool, int, float)):
        return [variant_key(rule)]
    if isinstance(rule, (list, tuple)):
        return [DYNAMIC]  # an array is never a variant name; flagd reports GENERAL
    if not isinstance(rule, Mapping) or len(rule) != 1:
        return [DYNAMIC]
    ((op, raw),) = rule.items()
    args = _args(raw)
    if op in ("if", "?:"):
        branches = args[1::2] + ([args[-1]] if len(args) % 2 == 1 else [None])
        return [r for branch in branches for r in results(branch)]
    if op in ("and", "or"):
        return [r for arg in args for r in results(arg)]
    if op == "fractional":
        return [
            r for b in _buckets(args) if isinstance(b, (list, tuple)) and b for r in results(b[0])
        ] + [None]
    if op in BOOLEAN_RESULT:
        return ["true", "false", None]
    return [DYNAMIC]


def check_flag(key: str, flag: Any) -> Iterator[Finding]:
    path: tuple[Segment, ...] = ("flags", key)
    if not isinstance(flag, Mapping):
        return  # the flags schema reports the shape
    variants = flag.get("variants")
    if not isinstance(variants, Mapping) or not variants:
        return
    kinds = {_kind(value) for value in variants.values()}
    if len(kinds) > 1:
        yield Finding(
            (*path, "variants"),
            f"variants mix types ({', '.join(sorted(kinds))}); a flag's variants share one type",
        )
    default = flag.get("defaultVariant")
    if isinstance(default, str) and default and default not in variants:
        yield Finding(
            (*path, "defaultVariant"),
            f"defaultVariant {default!r} is not one of the variants ({', '.join(variants)})",
        )
    targeting = flag.get("targeting")
    reachable: list[Any] = [default] if isinstance(default, str) and default else []
    if targeting:
        yield from check_rule(targeting, (*path, "targeting"))
        for name in results(targeting):
            if isinstance(name, str) and name not in variants:
                yield Finding(
                    (*path, "targeting"), f"targeting can return {name!r}, which is not a variant"
                )
            reachable.append(name)
    if (
        kinds == {"boolean"}
        and flag.get("state") != "DISABLED"
        and DYNAMIC not in reachable
        and not any(isinstance(n, str) and variants.get(n) is True for n in reachable)
    ):
        yield Finding(
            path, "this flag can never be on: no rule and no default serve true", "warning"
        )


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object"


def check(flags: Any) -> list[Finding]:
    if not isinstance(flags, Mapping):
        return []
    return [finding for key, flag in flags.items() for finding in check_flag(key, flag)]
