"""Shares of a flag's variants over a population, and who moves between two versions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amber.compiler.flag_simulation import (
    NO_VARIANT,
    describe_moves,
    moves,
    population,
    shares,
)
from amber.errors import UsageError
from amber.flags import FlagSet


def rollout(percent: int, allow: list[str] | None = None) -> dict[str, Any]:
    split = {"fractional": [["on", percent], ["off", 100 - percent]]}
    targeting = {"if": [{"in": [{"var": "targetingKey"}, allow]}, "on", split]} if allow else split
    return {
        "state": "ENABLED",
        "variants": {"on": True, "off": False},
        "defaultVariant": "off",
        "targeting": targeting,
    }


def test_population_synthetic_or_from_a_file(tmp_path: Path) -> None:
    users = population(3, None, {"tier": "gold", "targetingKey": "ignored"})
    assert users == [
        {"tier": "gold", "targetingKey": "user-000000"},
        {"tier": "gold", "targetingKey": "user-000001"},
        {"tier": "gold", "targetingKey": "user-000002"},
    ]
    keys = tmp_path / "keys.txt"
    keys.write_text("ann\n\n  bob  \n")
    assert [u["targetingKey"] for u in population(None, keys)] == ["ann", "bob"]
    keys.write_text("\n \n")
    with pytest.raises(UsageError, match="no targeting keys"):
        population(None, keys)
    with pytest.raises(UsageError, match="cannot read the keys"):
        population(None, tmp_path / "missing.txt")


@pytest.mark.parametrize("generation", ["v2", "v3"])
def test_shares_follow_the_weights_and_the_allow_list(generation: str) -> None:
    flags = FlagSet({"f": rollout(10, allow=["user-000001"])}, fractional=generation)
    measured = shares(flags, "f", population(10_000, None))
    assert measured.users == 10_000 and set(measured.counts) == {"on", "off"}
    assert 900 <= measured.counts["on"] <= 1_100
    assert measured.percent("on") + measured.percent("off") == pytest.approx(100)
    disabled = FlagSet({"f": {**rollout(10), "state": "DISABLED"}}, fractional=generation)
    assert shares(disabled, "f", population(50, None)).counts == {NO_VARIANT: 50}


@pytest.mark.parametrize("generation", ["v2", "v3"])
def test_a_wider_rollout_only_moves_users_on(generation: str) -> None:
    old = FlagSet({"f": rollout(10)}, fractional=generation)
    new = FlagSet({"f": rollout(20)}, fractional=generation)
    found = moves(old, new, "f", population(10_000, None))
    assert list(found.moved) == [("off", "on")]
    assert 900 <= found.total <= 1_100
    assert describe_moves(found) == (
        f"{found.total:,} of 10,000 users change variant: off -> on {found.total:,}"
    )
    assert describe_moves(moves(old, old, "f", population(10, None))) == (
        "none of 10 users change variant"
    )


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=0, max_value=100),
    st.integers(min_value=0, max_value=100),
    st.sampled_from(["v2", "v3"]),
)
def test_moves_go_one_way_when_the_first_bucket_grows(a: int, b: int, generation: str) -> None:
    """Buckets are laid out in order, so growing the first one can only pull users into it."""
    low, high = sorted((a, b))
    old = FlagSet({"f": rollout(low)}, fractional=generation)
    new = FlagSet({"f": rollout(high)}, fractional=generation)
    users = population(500, None)
    found = moves(old, new, "f", users)
    assert set(found.moved) <= {("off", "on")}
    gained = shares(new, "f", users).counts.get("on", 0) - shares(old, "f", users).counts.get(
        "on", 0
    )
    assert found.total == gained
