"""Canonical JSON (RFC 8785): properties, and agreement with an independent implementation."""

from __future__ import annotations

import json
import math
import random
import struct

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from amber import canonical

SAFE = 2**53 - 1  # the integers a double holds exactly
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
numbers = st.one_of(
    st.integers(min_value=-SAFE, max_value=SAFE),
    st.floats(allow_nan=False, allow_infinity=False),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, text)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(text, inner, max_size=5)),
    max_leaves=30,
)


@given(values)
def test_agrees_with_rfc8785_package(value: object) -> None:
    assert canonical.dump_bytes(value) == rfc8785.dumps(value)


@given(values)
def test_round_trip_and_idempotent(value: object) -> None:
    data = canonical.dump_bytes(value)
    again = canonical.loads(data)  # numbers read as doubles, as every JSON reader must
    assert again == value
    assert canonical.dump_bytes(again) == data


@given(st.dictionaries(text, values, max_size=8), st.randoms())
def test_key_order_does_not_matter(mapping: dict[str, object], rng: random.Random) -> None:
    items = list(mapping.items())
    rng.shuffle(items)
    assert canonical.dump_bytes(dict(items)) == canonical.dump_bytes(mapping)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_round_trip_exactly(number: float) -> None:
    text_form = canonical.format_number(number)
    assert float(text_form) == number
    assert text_form == rfc8785.dumps(number).decode()


@settings(max_examples=2000)
@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_any_bit_pattern(bits: int) -> None:
    number = struct.unpack("<d", bits.to_bytes(8, "little"))[0]
    if math.isfinite(number):
        assert canonical.format_number(number) == rfc8785.dumps(number).decode()


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (0.0, "0"),
        (-0.0, "0"),
        (1.0, "1"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1e-6, "0.000001"),
        (1e-7, "1e-7"),
        (5e-324, "5e-324"),
        (0.1 + 0.2, "0.30000000000000004"),
        (2**60, "1152921504606847000"),
        (-1.5, "-1.5"),
    ],
)
def test_number_forms(number: float, expected: str) -> None:
    assert canonical.format_number(number) == expected


def test_keys_sort_by_utf16_code_units() -> None:
    # U+1F600 is a surrogate pair (D83D DE00) in UTF-16, so it sorts before U+FFFF.
    assert canonical.dumps({"\uffff": 1, "\U0001f600": 2, "a": 3}) == '{"a":3,"😀":2,"\uffff":1}'


def test_escapes_only_what_rfc8785_requires() -> None:
    assert canonical.dumps('é\u2028\x7f\x1f\n"\\') == '"é\u2028\x7f\\u001f\\n\\"\\\\"'


def test_lone_surrogate_is_refused() -> None:
    with pytest.raises(ValueError, match="Unicode"):
        canonical.dump_bytes({"a": "\ud800"})


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), {1: 2}, {"a": {1, 2}}])
def test_non_json_values_are_refused(bad: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        canonical.dump_bytes(bad)


def test_normalized_numbers_are_what_a_reader_sees() -> None:
    # Two engines may print the same double differently; parsed, they are one value.
    go = canonical.loads(
        '{"big": 1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160, "i": 12345678901234567168, "neg": -0, "one": 1.0}'
    )
    rust = canonical.loads('{"big": 1e300, "i": 12345678901234567000, "neg": 0, "one": 1}')
    assert canonical.dump_bytes(go) == canonical.dump_bytes(rust)
    assert type(rust["one"]) is int and type(rust["neg"]) is int


def test_member_spans_cover_each_top_level_member() -> None:
    config = {"b": [1, {"x": "é"}], "a": {"k": None}, "\U0001f600": 1.5}
    data = canonical.dump_bytes(config)
    spans = canonical.member_spans(config)
    assert list(spans) == ["a", "b", "\U0001f600"]
    for key, (start, end) in spans.items():
        member = json.loads(b"{" + data[start:end] + b"}")
        assert member == {key: config[key]}
    assert spans["\U0001f600"][1] == len(data) - 1
