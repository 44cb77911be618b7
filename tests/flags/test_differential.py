"""Amber's flag evaluation against flagd's reference implementation, on generated flags
(tests/support/flag_sets.py)."""

from __future__ import annotations

import pytest

from amber.flags import FlagSet
from tests.support.flag_sets import core_1_path, generate, oracle


@pytest.mark.parametrize("generation", ["v3", "v2"])
def test_amber_agrees_with_flagd_core(generation: str) -> None:
    flags, cases = generate(seed=2026 if generation == "v3" else 1999)
    expected = oracle(flags, cases, core_1_path() if generation == "v2" else None)
    flag_set = FlagSet(flags, fractional=generation)
    reasons: dict[str, int] = {}
    mismatches = []
    for (key, context, default, kind), want in zip(cases, expected, strict=True):
        got = flag_set.evaluate(key, context, default, expected=kind)
        reasons[got.reason] = reasons.get(got.reason, 0) + 1
        mine = {
            "value": got.value,
            "variant": got.variant,
            "reason": got.reason,
            "error": got.error_code,
        }
        theirs = {k: want[k] for k in ("value", "variant", "reason", "error")}
        if mine != theirs or (got.error_code is None and dict(got.metadata) != want["metadata"]):
            mismatches.append((key, flags.get(key), context, kind, mine, want))
    assert mismatches == [], f"{len(mismatches)} of {len(cases)} differ; first: {mismatches[0]}"
    # The generated cases reach every outcome, so agreement means something.
    assert set(reasons) == {"STATIC", "TARGETING_MATCH", "DEFAULT", "DISABLED", "ERROR"}, reasons
