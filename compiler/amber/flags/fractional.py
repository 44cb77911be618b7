"""flagd's ``fractional``: deterministic bucketing of users into weighted variants.

Bad arguments give null, never an exception.  Stdlib plus ``mmh3``.

``fractional`` buckets users with MurmurHash3 (x86, 32 bit, seed 0, unsigned):
``bucket = (hash * total_weight) >> 32`` over the cumulative integer weights.  The two current
generations hash different bytes, so they put most users in different buckets:

- ``v2`` (the flagd daemon, openfeature-flagd-core 1.x): the UTF-8 string, ``flagKey +
  targetingKey`` for the shorthand form;
- ``v3`` (flagd's current conformance suite, openfeature-flagd-core 2.x): the deterministic
  CBOR encoding of the value, the array ``[flagKey, targetingKey]`` for the shorthand form.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping
from typing import Any

import mmh3

from amber.flags.cbor import TEXT_HEADS, cbor, head_bytes
from amber.flags.cbor import text as cbor_text
from amber.flags.jsonlogic import Rule, Specializer, is_constant

MAX_TOTAL_WEIGHT = 2**31 - 1
# Up to this total weight, a bucket's variant is looked up in a table, not searched for.
BUCKET_TABLE_LIMIT = 10_000
GENERATIONS = ("v2", "v3")


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
            prefix = prefixes[key] = b"\x82" + cbor_text(key)
        return prefix + cbor_text(targeting_key)

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
        if shorthand and flag_key is not None:
            return _keyed_shorthand(generation, flag_key, variants, ends)
        seed = None if shorthand else recurse(args[0])
        return _fixed_buckets(generation, flag_key, seed, buckets, variants, ends)

    return specialize


def _keyed_shorthand(generation: str, flag_key: str, variants: list[Any], ends: list[int]) -> Rule:
    """The common case, inlined: the flag's key is known, the targeting key is read, and the
    weights are small enough (most often percentages) for a table of every bucket to replace
    the search for one."""
    total = ends[-1]
    general = _fixed_buckets(generation, flag_key, None, [], variants, ends)
    if total > BUCKET_TABLE_LIMIT:
        return general
    table = [variants[bisect_right(ends, bucket)] for bucket in range(total)]
    murmur3 = mmh3.hash
    if generation == "v2":

        def keyed_v2(data: Any) -> Any:
            if type(data) is not dict:
                return general(data)
            targeting_key = data.get("targetingKey")
            if type(targeting_key) is not str or not targeting_key:
                return None
            # mmh3 hashes the UTF-8 of a str itself
            return table[(murmur3(flag_key + targeting_key, 0, False) * total) >> 32]

        return keyed_v2
    prefix = b"\x82" + cbor_text(flag_key)
    heads = TEXT_HEADS

    def keyed_v3(data: Any) -> Any:
        if type(data) is not dict:
            return general(data)
        targeting_key = data.get("targetingKey")
        if type(targeting_key) is not str or not targeting_key:
            return None
        raw = targeting_key.encode("utf-8")
        if len(raw) < 24:
            hash_input = prefix + heads[len(raw)] + raw
        else:
            hash_input = prefix + head_bytes(3, len(raw)) + raw
        return table[(murmur3(hash_input, 0, False) * total) >> 32]

    return keyed_v3


def _fixed_buckets(
    generation: str,
    flag_key: str | None,
    seed: Rule | None,
    buckets: list[Any],
    variants: list[Any],
    ends: list[int],
) -> Rule:
    """``fractional`` over fixed buckets, hashing the shorthand's keys or a computed seed."""
    total = ends[-1]
    murmur3 = mmh3.hash
    shorthand_input = _shorthand(generation, flag_key)

    def fixed_buckets(data: Any) -> Any:
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

    return fixed_buckets
