"""flagd's operators for JsonLogic: ``fractional``, ``sem_ver``, ``starts_with``, ``ends_with``.

Bad arguments give null, never an exception, so a rule falls through to the default variant
as it does in flagd.  Stdlib plus ``mmh3``.

``fractional`` buckets users with MurmurHash3 (x86, 32 bit, seed 0, unsigned):
``bucket = (hash * total_weight) >> 32`` over the cumulative integer weights.  The two current
generations hash different bytes, so they put most users in different buckets:

- ``v2`` (the flagd daemon, openfeature-flagd-core 1.x): the UTF-8 string, ``flagKey +
  targetingKey`` for the shorthand form;
- ``v3`` (flagd's current conformance suite, openfeature-flagd-core 2.x): the deterministic
  CBOR encoding of the value, the array ``[flagKey, targetingKey]`` for the shorthand form.
"""

from __future__ import annotations

import math
import re
import struct
from bisect import bisect_right
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import mmh3

from amber.jsonlogic import OPERATORS, Operator, Rule, Specializer, is_constant

MAX_TOTAL_WEIGHT = 2**31 - 1
GENERATIONS = ("v2", "v3")


# --- deterministic CBOR (RFC 8949 section 4.2.1) -------------------------------------------


def _head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if length < 1 << (8 * size):
            return bytes([major << 5 | extra]) + length.to_bytes(size, "big")
    raise ValueError("length too large for CBOR")


def _float(value: float) -> bytes:
    """The shortest of half, single and double precision that holds ``value`` exactly."""
    if math.isnan(value):
        return b"\xf9\x7e\x00"
    if math.isinf(value):
        return b"\xf9\x7c\x00" if value > 0 else b"\xf9\xfc\x00"
    encoded = b"\xfb" + struct.pack(">d", value)
    for fmt, tag in ((">f", 0xFA), (">e", 0xF9)):
        try:
            packed = struct.pack(fmt, value)
        except OverflowError:
            break
        if struct.unpack(fmt, packed)[0] != value:
            break
        encoded = bytes([tag]) + packed
    return encoded


def cbor(value: Any) -> bytes:
    """Deterministic CBOR of a JSON value; integral floats are encoded as integers."""
    if value is None:
        return b"\xf6"
    if value is True:
        return b"\xf5"
    if value is False:
        return b"\xf4"
    if type(value) is float and value.is_integer() and -(2**63) <= value <= 2**64 - 1:
        value = int(value)
    if type(value) is int:
        major, magnitude = (0, value) if value >= 0 else (1, -1 - value)
        if magnitude < 1 << 64:
            return _head(major, magnitude)
        # A bignum (tag 2, or 3 for negative), as flagd's own CBOR encoders write it.
        digits = magnitude.to_bytes((magnitude.bit_length() + 7) // 8, "big")
        return bytes([0xC2 + major]) + _head(2, len(digits)) + digits
    if type(value) is float:
        return _float(value)
    if isinstance(value, str):
        return _cbor_text(value)
    if isinstance(value, (list, tuple)):
        return _head(4, len(value)) + b"".join(cbor(item) for item in value)
    if isinstance(value, Mapping):
        # Keys in the bytewise order of their encodings; for strings, shorter first.
        pairs = sorted(
            ((cbor(key), cbor(item)) for key, item in value.items()),
            key=lambda pair: (len(pair[0]), pair[0]),
        )
        return _head(5, len(pairs)) + b"".join(key + item for key, item in pairs)
    raise TypeError(f"{type(value).__name__} cannot be hashed for fractional")


# --- fractional ----------------------------------------------------------------------------


def bucket(hash_input: bytes, total_weight: int) -> int:
    return (mmh3.hash(hash_input, 0, signed=False) * total_weight) >> 32


def _bucketing_value(
    data: Any, args: tuple[Any, ...], generation: str
) -> tuple[Any, tuple[Any, ...]]:
    """The value to hash and the bucket arguments; None when there is nothing to hash."""
    context = data if isinstance(data, Mapping) else {}
    flagd = context.get("$flagd")
    flag_key = flagd.get("flagKey", "") if isinstance(flagd, Mapping) else ""
    targeting_key = context.get("targetingKey")
    if generation == "v2":
        if isinstance(args[0], str):
            return args[0].encode("utf-8"), args[1:]
        if not isinstance(targeting_key, str) or not targeting_key:
            return None, args
        return f"{flag_key}{targeting_key}".encode(), args
    if not isinstance(args[0], (list, tuple)):
        if args[0] is None:
            return None, args
        return cbor(args[0]), args[1:]
    if not isinstance(targeting_key, str) or not targeting_key:
        return None, args
    return cbor([flag_key, targeting_key]), args


def fractional(generation: str, data: Any, *args: Any) -> Any:
    if not args:
        return None
    try:
        hash_input, buckets = _bucketing_value(data, args, generation)
    except (TypeError, ValueError, UnicodeEncodeError):
        return None
    if hash_input is None or (generation == "v2" and not hash_input):
        return None
    split = _split(buckets)
    if split is None:
        return None
    variants, ends = split
    return variants[bisect_right(ends, bucket(hash_input, ends[-1]))]


def _split(buckets: Any) -> tuple[list[Any], list[int]] | None:
    """Variants and the cumulative ends of their weights; None for what flagd refuses.

    An omitted weight counts 1, a negative one 0; a weight that is not an integer, or a
    total that is not positive or exceeds 2**31 - 1, is an error (null).
    """
    variants: list[Any] = []
    ends: list[int] = []
    total = 0
    for entry in buckets:
        if not isinstance(entry, (list, tuple)) or not 1 <= len(entry) <= 2:
            return None
        weight = entry[1] if len(entry) == 2 else 1
        if type(weight) is not int:
            return None
        total += max(0, weight)
        variants.append(entry[0])
        ends.append(total)
    if total <= 0 or total > MAX_TOTAL_WEIGHT:
        return None
    return variants, ends


# --- sem_ver -------------------------------------------------------------------------------

_IDENT = r"(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)"
_SEMVER = re.compile(
    rf"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    rf"(?:-({_IDENT}(?:\.{_IDENT})*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)

SemVer = tuple[int, int, int, tuple[tuple[int, int | str], ...] | None]


def parse_semver(arg: Any) -> SemVer | None:
    """flagd's lenient reading: a ``v`` prefix and missing minor or patch are allowed."""
    try:
        return _parse_semver(arg)
    except ValueError:  # Python refuses int <-> str beyond 4300 digits: no version, as flagd
        return None


def _parse_semver(arg: Any) -> SemVer | None:
    text = str(arg)
    if text.startswith(("v", "V")):
        text = text[1:]
    numeric = text.split("-")[0].split("+")[0]
    dots = numeric.count(".")
    if dots < 2:
        text = numeric + ".0" * (2 - dots) + text[len(numeric) :]
    matched = _SEMVER.fullmatch(text)
    if not matched:
        return None
    major, minor, patch, pre, _build = matched.groups()
    prerelease = None
    if pre is not None:
        # Numeric identifiers sort before alphanumeric ones, numerically among themselves.
        prerelease = tuple((0, int(p)) if p.isdigit() else (1, p) for p in pre.split("."))
    return int(major), int(minor), int(patch), prerelease


def _precedence(version: SemVer) -> tuple[Any, ...]:
    major, minor, patch, pre = version
    # A release sorts after all of its pre-releases.
    return (major, minor, patch, (1,) if pre is None else (0, pre))


def sem_ver(data: Any, *args: Any) -> bool | None:
    if len(args) != 3:
        return None
    left, operator, right = args
    a, b = parse_semver(left), parse_semver(right)
    if a is None or b is None:
        return None
    x, y = _precedence(a), _precedence(b)
    if operator == "=":
        return x == y
    if operator == "!=":
        return x != y
    if operator == "<":
        return x < y
    if operator == "<=":
        return x <= y
    if operator == ">":
        return x > y
    if operator == ">=":
        return x >= y
    if operator == "^":
        return a[0] == b[0]
    if operator == "~":
        return a[0] == b[0] and a[1] == b[1]
    return None


# --- strings -------------------------------------------------------------------------------


def starts_with(data: Any, *args: Any) -> bool | None:
    if len(args) != 2 or not all(isinstance(a, str) for a in args):
        return None
    return bool(args[0].startswith(args[1]))


def ends_with(data: Any, *args: Any) -> bool | None:
    if len(args) != 2 or not all(isinstance(a, str) for a in args):
        return None
    return bool(args[0].endswith(args[1]))


_TEXT_HEADS = [bytes([0x60 | n]) for n in range(24)]


def _cbor_text(text: str) -> bytes:
    data = text.encode("utf-8")
    size = len(data)
    return (_TEXT_HEADS[size] if size < 24 else _head(3, size)) + data


def _shorthand(generation: str, flag_key: str | None) -> Callable[[Any], bytes | None]:
    """The hash input of the shorthand form: flag key and targeting key, per generation.

    With ``flag_key`` known when compiling, it is encoded once; otherwise it is read from
    ``$flagd.flagKey`` in the data.
    """
    prefixes: dict[str, bytes] = {}

    def hash_input(data: Any) -> bytes | None:
        context = data if type(data) is dict or isinstance(data, Mapping) else {}
        targeting_key = context.get("targetingKey")
        if type(targeting_key) is not str or not targeting_key:
            return None
        key = flag_key
        if key is None:
            flagd = context.get("$flagd")
            key = str(flagd.get("flagKey", "")) if isinstance(flagd, Mapping) else ""
        if generation == "v2":
            return f"{key}{targeting_key}".encode()
        prefix = prefixes.get(key)
        if prefix is None:
            prefix = prefixes[key] = b"\x82" + _cbor_text(key)
        return prefix + _cbor_text(targeting_key)

    return hash_input


def specialize_fractional(generation: str, flag_key: str | None = None) -> Specializer:
    """Compile ``fractional`` with fixed buckets once: weights summed, variants in order."""

    def specialize(args: list[Any], recurse: Callable[[Any], Rule]) -> Rule | None:
        if not args:
            return None
        shorthand = isinstance(args[0], (list, tuple))
        buckets = args if shorthand else args[1:]
        split = _split(buckets) if is_constant(buckets) else None
        if split is None:
            return None  # buckets computed at run time: the general operator does it
        variants, ends = split
        total = ends[-1]
        seed = None if shorthand else recurse(args[0])
        shorthand_input = _shorthand(generation, flag_key)
        murmur3 = mmh3.hash

        if seed is None and flag_key is not None:
            # The common case, inlined: the flag's key is known, the targeting key is read.
            prefix = b"\x82" + _cbor_text(flag_key)
            heads = _TEXT_HEADS

            def run_shorthand(data: Any) -> Any:
                if type(data) is not dict:
                    return _slow_shorthand(data)
                targeting_key = data.get("targetingKey")
                if type(targeting_key) is not str or not targeting_key:
                    return None
                if generation == "v2":  # mmh3 hashes the UTF-8 of a str itself
                    chosen = (murmur3(flag_key + targeting_key, 0, False) * total) >> 32
                    return variants[bisect_right(ends, chosen)]
                raw = targeting_key.encode("utf-8")
                if len(raw) < 24:
                    hash_input = prefix + heads[len(raw)] + raw
                else:
                    hash_input = prefix + _head(3, len(raw)) + raw
                chosen = (murmur3(hash_input, 0, False) * total) >> 32
                return variants[bisect_right(ends, chosen)]

            def _slow_shorthand(data: Any) -> Any:
                hash_input = shorthand_input(data)
                if hash_input is None:
                    return None
                chosen = (murmur3(hash_input, 0, False) * total) >> 32
                return variants[bisect_right(ends, chosen)]

            return run_shorthand

        def run(data: Any) -> Any:
            if seed is None:
                hash_input = shorthand_input(data)
            else:
                value = seed(data)
                if isinstance(value, (list, tuple)) or (
                    generation == "v2" and not isinstance(value, str)
                ):
                    return fractional(generation, data, value, *buckets)  # the odd forms
                if value is None or (value == "" and generation == "v2"):
                    return None
                try:
                    hash_input = value.encode() if generation == "v2" else cbor(value)
                except (TypeError, ValueError, UnicodeEncodeError):
                    return None
            if hash_input is None:
                return None
            chosen = (murmur3(hash_input, 0, False) * total) >> 32
            return variants[bisect_right(ends, chosen)]

        return run

    return specialize


def operators(generation: str) -> dict[str, Operator]:
    """JsonLogic's operators plus flagd's, with ``fractional`` of the given generation."""
    if generation not in GENERATIONS:
        raise ValueError(f"fractional generation must be one of {GENERATIONS}, not {generation!r}")
    return {
        **OPERATORS,
        "fractional": partial(fractional, generation),
        "sem_ver": sem_ver,
        "starts_with": starts_with,
        "ends_with": ends_with,
    }
