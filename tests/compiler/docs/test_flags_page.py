"""The rollout bar's weights, read from a flag's targeting."""

from __future__ import annotations

import re

import pytest

from amber.compiler.docs.flags_page import render, split_weights
from amber.compiler.docs.gather import Environment, SiteData


def test_weights_as_percentages_with_and_without_a_seed_expression() -> None:
    bare = {"fractional": [["on", 1], ["off", 3]]}
    seeded = {"fractional": [{"var": "email"}, ["a", 50], ["b", 25], ["c", 25]]}
    assert split_weights(bare) == [("on", 25.0), ("off", 75.0)]
    assert split_weights(seeded) == [("a", 50.0), ("b", 25.0), ("c", 25.0)]


def test_the_first_fractional_inside_an_if_chain() -> None:
    rule = {
        "if": [
            {"in": [{"var": "targetingKey"}, ["admin"]]},
            "on",
            {"fractional": [["on", 10], ["off", 90]]},
        ]
    }
    assert split_weights(rule) == [("on", 10.0), ("off", 90.0)]


def test_a_bucket_without_a_weight_counts_one() -> None:
    assert split_weights({"fractional": [["a"], ["b", 3]]}) == [("a", 25.0), ("b", 75.0)]


@pytest.mark.parametrize(
    "rule",
    [
        None,
        "on",
        {"if": [True, "on", "off"]},
        {"fractional": [["a", 0], ["b", 0]]},
        {"fractional": [["a", {"var": "w"}]]},
    ],
)
def test_no_bar_where_no_weights_can_be_read(rule: object) -> None:
    assert split_weights(rule) is None


def test_flags_defined_alike_are_measured_each_under_its_own_key() -> None:
    # fractional hashes the flag's key with the user's: the same definition splits other users
    half = {
        "state": "ENABLED",
        "variants": {"on": True, "off": False},
        "defaultVariant": "off",
        "targeting": {"fractional": [["on", 50], ["off", 50]]},
    }
    env = Environment("prod", {}, {"first": half, "second": half})
    data = SiteData(versions=[], fields={}, environments=[env], migrations=[], rules=[])
    body = render(data).body
    shares = re.findall(r'data-flag="(\w+)">.*?<p class="shares">([^<]*)</p>', body)
    assert [flag for flag, _ in shares] == ["first", "second"]
    assert shares[0][1] != shares[1][1]
