"""The rollout bar's weights, read from a flag's targeting."""

from __future__ import annotations

import pytest

from amber.compiler.docs.flags_page import split_weights


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
