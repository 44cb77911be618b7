"""flagd's operators, checked against flagd's published conformance vectors.

Vectors are from the flagd-testbed evaluator suite (`evaluator/gherkin/*.feature`,
`evaluator/flags/testkit-flags.json`): fractional v2 and v3, sem_ver, starts_with/ends_with.
"""

from __future__ import annotations

import json

import mmh3
import pytest

from amber.flags import FlagSet, flagd_operators, fractional, semver
from amber.flags.cbor import cbor

BUCKETS = [[f"bucket{i}", 4] for i in range(1, 26)]


def flag(targeting: object, variants: list[str], default: str = "fallback") -> dict[str, object]:
    return {
        "state": "ENABLED",
        "variants": {v: v for v in [*variants, default]},
        "defaultVariant": default,
        "targeting": targeting,
    }


SUITS = ["clubs", "diamonds", "hearts", "spades"]
TESTKIT = {
    "fractional-basic-flag": flag(
        {"fractional": [{"var": "hashing_input"}, *BUCKETS]}, [b[0] for b in BUCKETS]
    ),
    "fractional-flag": flag(
        {
            "fractional": [
                {"cat": [{"var": "$flagd.flagKey"}, {"var": "user.name"}]},
                *[[s, 25] for s in SUITS],
            ]
        },
        SUITS,
        "wild",
    ),
    "fractional-flag-shorthand": flag(
        {"fractional": [["heads"], ["tails", 1]]}, ["heads", "tails"], "draw"
    ),
    "fractional-flag-A-shared-seed": flag(
        {"fractional": [{"cat": ["shared-seed", {"var": "user.name"}]}, *[[s, 25] for s in SUITS]]},
        SUITS,
        "wild",
    ),
    "fractional-hash-edge-flag": flag(
        {"fractional": [{"var": "targetingKey"}, ["lower", 50], ["upper", 50]]},
        ["lower", "upper"],
        "lower",
    ),
    "fractional-nested-if-flag": flag(
        {
            "fractional": [
                {"var": "targetingKey"},
                [{"if": [{"==": [{"var": "tier"}, "premium"]}, "premium", "standard"]}, 50],
                ["standard", 50],
            ]
        },
        ["premium", "standard"],
    ),
    "fractional-nested-var-flag": flag(
        {"fractional": [{"var": "targetingKey"}, [{"var": "color"}, 50], ["blue", 50]]},
        ["red", "green", "blue"],
    ),
    "fractional-nested-weight-flag": flag(
        {
            "fractional": [
                {"var": "targetingKey"},
                ["red", {"if": [{"==": [{"var": "tier"}, "premium"]}, 100, 0]}],
                ["blue", 10],
            ]
        },
        ["red", "blue"],
    ),
    "fractional-single-entry-flag": flag({"fractional": [["single", 1]]}, ["single"]),
    "fractional-null-bucket-key-flag": flag(
        {"fractional": [{"var": "missing_key"}, ["one", 50], ["two", 50]]}, ["one", "two"]
    ),
    "fractional-zero-weights-flag": flag(
        {"fractional": [{"var": "targetingKey"}, ["one", 0], ["two", 0]]}, ["one", "two"]
    ),
    "fractional-negative-weight-flag": flag(
        {"fractional": [{"var": "targetingKey"}, ["one", -50], ["two", 100]]}, ["one", "two"]
    ),
}


def value(
    generation: str,
    key: str,
    attrs: dict[str, object] | None = None,
    targeting_key: str | None = None,
) -> object:
    context = dict(attrs or {})
    if targeting_key is not None:
        context["targetingKey"] = targeting_key
    return FlagSet(TESTKIT, fractional=generation).evaluate(key, context, "fallback").value


V3_BASIC = [
    (True, 5),
    (False, 1),
    ("user1", 22),
    ("user2", 16),
    (123, 20),
    (456, 12),
    (1.23, 14),
    (4.56, 18),
    ("123", 22),
    ("true", 24),
    ("false", 1),
    ("null", 8),
    ("1.23", 4),
    (0, 8),
    (1.0, 23),
    (1, 23),
    (1.0000000000000001, 23),
    (-2.0, 12),
    (-2, 12),
    (9007199254740992.0, 10),
    (9007199254740992, 10),
    (0.0, 8),
    (-0.0, 8),
    (2147483647, 10),
    (2147483648, 25),
    (-2147483648, 8),
    (-2147483649, 18),
    (9007199254740991, 2),
    (23, 21),
    (24, 11),
    (255, 13),
    (256, 13),
    (65535, 4),
    (65536, 11),
    (4294967295, 14),
    (4294967296, 19),
    (-24, 4),
    (-25, 16),
    (1e20, 19),
    (-1e20, 25),
    (65504.0, 16),
    (-65504.0, 9),
    (0.00006103515625, 22),
    (0.000000059604644775390625, 23),
    (65505.0, 17),
    (-65505.0, 17),
    (3.4028234663852886e38, 10),
    (-3.4028234663852886e38, 3),
    (1.1754943508222875e-38, 24),
    (3.5e38, 1),
    (-3.5e38, 6),
    (1.7976931348623157e308, 17),
    (-1.7976931348623157e308, 9),
    (2.2250738585072014e-308, 11),
    (4.9406564584124654e-324, 2),
    ("", 4),
    ("a", 6),
    ("12345678901234567890123", 4),
    ("123456789012345678901234", 14),
    ("a" * 255, 18),
    ("a" * 256, 7),
    ("あいうえおかき", 17),
    ("あいうえおかきく", 16),
    ("é" * 11, 16),
    ("é" * 12, 19),
    ("café façade résumé café", 9),
    ("A\\u0000B", 15),
    ("e\\u0301", 7),
    ("\\uD83D\\uDE00", 23),
    ('{"a": 1, "b": 2}', 23),
    ('{"b": 2, "a": 1}', 23),
    ('{"a": 1, "b": 2, "c": 3}', 18),
    ('{"z": 1, "aa": 2}', 21),
    ('{"aa": 2, "z": 1}', 21),
    ('{"a": {"b": 1}, "b": 2}', 9),
    ('{"a": true, "bbb": 1, "c": "text", "dddd": 2.5}', 25),
    ('{"aaa": 1, "ÿ": 2}', 12),
    ('{"": 2, "abc": 1}', 25),
    ('{"key": -0.0}', 10),
    ('{"key": 0}', 10),
    ('{"b": -0.0, "a": {"b": 1}, "c": 0.0}', 8),
    ('{"café": "façade", "b": {"résumé": {"ÿ": true}}}', 22),
    ("{}", 3),
    ('{"a": {}}', 20),
    ('{"a": {}, "b": {}}', 21),
    ('{"a": {}, "b": []}', 7),
    ('{"c": 0.0, "a": []}', 18),
    ('{"a": []}', 12),
    ('{"a": [1, [], 3], "b": null}', 3),
    ('{"a": ["a", "b", {}], "b": [1, null, 2]}', 23),
    ('{"a": [1, "two", true, [], null]}', 23),
    ('{"x": [{"a": 1}, {"b": 2}, {"b": null}]}', 3),
    ('{"x": [{"a": {"b": []}}]}', 16),
    ('{"x": [{"a": {"b": null}}]}', 6),
    ('{"x": [{"a": {"b": {}}}]}', 2),
    ('{"a": [[[[[]]]]]}', 15),
    ('{"a": [[[[null]]]]}', 7),
    ('{"a": {"b": {"c": {"d": {}}}}}', 21),
    ('{"a": {"b": {"c": {"d": null}}}}', 19),
]


@pytest.mark.parametrize(("hashing_input", "expected"), V3_BASIC)
def test_v3_hashes_the_cbor_of_any_value(hashing_input: object, expected: int) -> None:
    if isinstance(hashing_input, str) and hashing_input.startswith("{"):
        hashing_input = json.loads(hashing_input)
    assert (
        value("v3", "fractional-basic-flag", {"hashing_input": hashing_input})
        == f"bucket{expected}"
    )


@pytest.mark.parametrize(
    ("generation", "key", "attrs", "targeting_key", "expected"),
    [
        *[
            ("v3", "fractional-flag", {"user": {"name": n}}, None, e)
            for n, e in [
                ("jack", "diamonds"),
                ("queen", "diamonds"),
                ("ten", "clubs"),
                ("nine", "clubs"),
                ("3", "spades"),
            ]
        ],
        *[
            ("v2", "fractional-flag", {"user": {"name": n}}, None, e)
            for n, e in [
                ("jack", "hearts"),
                ("queen", "spades"),
                ("ten", "clubs"),
                ("nine", "diamonds"),
                ("3", "clubs"),
            ]
        ],
        *[
            ("v3", "fractional-flag-shorthand", None, t, e)
            for t, e in [
                ("jon@company.com", "tails"),
                ("jane@company.com", "tails"),
                ("user-1", "heads"),
                ("user-2", "tails"),
                ("user-3", "heads"),
            ]
        ],
        *[
            ("v2", "fractional-flag-shorthand", None, t, e)
            for t, e in [("jon@company.com", "heads"), ("jane@company.com", "tails")]
        ],
        *[
            ("v3", "fractional-flag-A-shared-seed", {"user": {"name": n}}, None, e)
            for n, e in [
                ("seven", "hearts"),
                ("eight", "hearts"),
                ("nine", "diamonds"),
                ("two", "diamonds"),
            ]
        ],
        *[
            ("v2", "fractional-flag-A-shared-seed", {"user": {"name": n}}, None, e)
            for n, e in [
                ("seven", "hearts"),
                ("eight", "diamonds"),
                ("nine", "clubs"),
                ("two", "spades"),
            ]
        ],
        # v2 hash edges: murmur3 values 0, 1, 2^31-1, 2^31 and 2^32-1
        *[
            ("v2", "fractional-hash-edge-flag", None, k, e)
            for k, e in [
                ("ejOoVL", "lower"),
                ("bY9fO-", "lower"),
                ("SI7p-", "lower"),
                ("6LvT0", "upper"),
                ("ceQdGm", "upper"),
            ]
        ],
        # shared by both generations
        *[
            (g, "fractional-nested-if-flag", {"tier": tier}, t, e)
            for g in ("v2", "v3")
            for t, tier, e in [
                ("jon@company.com", "premium", "premium"),
                ("jon@company.com", "basic", "standard"),
                ("user1", "premium", "standard"),
            ]
        ],
        *[
            (g, "fractional-nested-var-flag", {"color": c}, t, e)
            for g in ("v2", "v3")
            for t, c, e in [
                ("jon@company.com", "red", "red"),
                ("jon@company.com", "green", "green"),
                ("user1", "red", "blue"),
                ("jon@company.com", "yellow", "fallback"),
                ("jon@company.com", "", "fallback"),
            ]
        ],
        *[
            (g, "fractional-nested-weight-flag", {"tier": tier}, t, e)
            for g in ("v2", "v3")
            for t, tier, e in [
                ("jon@company.com", "premium", "red"),
                ("jon@company.com", "basic", "blue"),
                ("user1", "premium", "red"),
                ("user1", "basic", "blue"),
            ]
        ],
        *[
            (g, "fractional-single-entry-flag", None, "some-targeting-key", "single")
            for g in ("v2", "v3")
        ],
        *[(g, "fractional-null-bucket-key-flag", None, None, "fallback") for g in ("v2", "v3")],
        *[(g, "fractional-zero-weights-flag", None, "any-user", "fallback") for g in ("v2", "v3")],
        *[(g, "fractional-negative-weight-flag", None, "any-user", "two") for g in ("v2", "v3")],
        # no targeting key, or one that is not a string: the default variant
        *[
            ("v3", "fractional-flag-shorthand", attrs, None, "draw")
            for attrs in ({"irrelevant": "none"}, {"targetingKey": 12345}, {"targetingKey": True})
        ],
    ],
)
def test_fractional_vectors(
    generation: str,
    key: str,
    attrs: dict[str, object] | None,
    targeting_key: str | None,
    expected: str,
) -> None:
    assert value(generation, key, attrs, targeting_key) == expected


@pytest.mark.parametrize(
    ("key", "murmur3", "bucket"),
    [
        ("ejOoVL", 0, 0),
        ("bY9fO-", 1, 0),
        ("SI7p-", 2**31 - 1, 49),
        ("6LvT0", 2**31, 50),
        ("ceQdGm", 2**32 - 1, 99),
    ],
)
def test_bucket_formula_at_the_hash_edges(key: str, murmur3: int, bucket: int) -> None:
    # (hash * total) >> 32, with the hash read unsigned: the ends of the range are exact.
    data = key.encode()  # the flag buckets on {"var": "targetingKey"}
    assert mmh3.hash(data, 0, signed=False) == murmur3
    assert fractional.bucket(data, 100) == bucket


@pytest.mark.parametrize(
    ("left", "op", "right", "expected"),
    [
        ("2.0.0", "=", "2.0.0", True),
        ("2.1.0", ">", "2.0.0", True),
        ("1.9.0", "<", "2.0.0", True),
        ("2.0.0-alpha", "<", "2.0.0", True),
        ("2.0.0.0", "=", "2.0.0", None),
        ("3.0.1", "~", "3.0.0", True),
        ("3.1.0", "~", "3.0.0", False),
        ("3.1.0", "^", "3.0.0", True),
        ("4.0.0", "^", "3.0.0", False),
        ("1.0.0", "=", "v1.0.0", True),
        ("v1.0.0", "=", "v1.0.0", True),
        ("V1.0.0", "=", "v1.0.0", True),
        ("2.0.0", "=", "v1.0.0", False),
        ("1.5.0", "^", "1", True),
        ("1.0", "^", "1", True),
        ("1", "^", "1", True),
        (1, "^", "1", True),
        (1.2, "^", "1", True),
        ("2.0.0", "^", "1", False),
        (1.2, ">", "1.1", True),
        (1.1, ">", "1.1", False),
        (2, ">", "1.1", True),
        (1, ">", "1.1", False),
        ("1.2", ">", "1.1", True),
        ("1.0.0", "=", "1.0.0+build", True),
        ("1.0.0+other", "=", "1.0.0+build", True),
        ("1.0.0-rc.1", "<", "1.0.0-rc.2", True),
        ("1.0.0-rc.2", "<", "1.0.0-rc.10", True),
        ("1.0.0-alpha", "<", "1.0.0-alpha.1", True),
        ("1.0.0-alpha.beta", "<", "1.0.0-beta", True),
        ("1.0.0-1", "<", "1.0.0-alpha", True),
        ("1-beta", "<", "1", True),
        ("not-a-version", "=", "1.0.0", None),
        ("1.0.0", "===", "1.0.0", None),
        ("01.0.0", "=", "1.0.0", None),
        ("", "=", "1.0.0", None),
        (" 1.0.0", "=", "1.0.0", None),
        ("vv1.0.0", "=", "1.0.0", None),
        (None, "=", "1.0.0", None),
        (True, "=", "1.0.0", None),
    ],
)
def test_sem_ver(left: object, op: str, right: str, expected: bool | None) -> None:
    assert semver.sem_ver({}, left, op, right) == expected


def test_sem_ver_needs_three_arguments() -> None:
    assert semver.sem_ver({}, "1.0.0", "=") is None


@pytest.mark.parametrize(
    ("args", "starts", "ends"),
    [
        (["abcdef", "abc"], True, False),
        (["abc", ""], True, True),
        (["uvwxyz", "xyz"], False, True),
        (["ABC", "abc"], False, False),
        ([123, "1"], None, None),
        (["123", 1], None, None),
        (["abc"], None, None),
        (["a", "b", "c"], None, None),
        ([None, "a"], None, None),
    ],
)
def test_string_operators(args: list[object], starts: bool | None, ends: bool | None) -> None:
    assert flagd_operators.starts_with({}, *args) == starts
    assert flagd_operators.ends_with({}, *args) == ends


def test_cbor_matches_worked_values() -> None:
    assert cbor("user1").hex() == "657573657231"
    assert cbor(1.0) == cbor(1) == bytes([1])
    assert cbor(-0.0) == b"\x00"
    assert cbor(1.23).hex() == "fb3ff3ae147ae147ae"
    assert cbor({"b": 2, "a": 1}).hex() == "a2616101616202"
    assert cbor(65504.0) == b"\x19\xff\xe0"  # integral: an integer
    assert cbor(0.5) == b"\xf9\x38\x00"  # half precision when it is exact
    assert cbor(0.1)[0] == 0xFB  # double when nothing shorter is


def test_cbor_of_integers_beyond_64_bits_is_a_bignum_as_in_flagd() -> None:
    import cbor2

    for value in (
        2**64 - 1,
        2**64,
        2**70,
        -(2**64),
        -(2**64) - 1,
        10**40,
        [2**70, {"a": -(10**30)}],
    ):
        assert cbor(value) == cbor2.dumps(value, canonical=True), value


def test_a_version_too_long_for_python_is_no_version() -> None:
    assert semver.sem_ver({}, "9" * 5000, ">=", "1.0.0") is None
    assert semver.sem_ver({}, 10**5000, ">=", "1.0.0") is None
