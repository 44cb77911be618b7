"""A flag in one line for a reviewer, and its type in OpenFeature's words."""

from __future__ import annotations

from typing import Any

import pytest

from amber.compiler.flag_summary import flag_type, summarize

ALLOW_THEN_ROLLOUT = {
    "state": "ENABLED",
    "variants": {"on": True, "off": False},
    "defaultVariant": "off",
    "targeting": {
        "if": [
            {"in": [{"var": "targetingKey"}, ["a", "b", "c", "d", "e"]]},
            "on",
            {"fractional": [["on", 10], ["off", 90]]},
        ]
    },
}


@pytest.mark.parametrize(
    ("flag", "summary"),
    [
        (
            ALLOW_THEN_ROLLOUT,
            "targetingKey in [a, b, c, +2]: on; everyone else: 10% on, 90% off",
        ),
        (
            {**ALLOW_THEN_ROLLOUT, "state": "DISABLED"},
            "disabled: every caller gets its own default",
        ),
        ({"state": "ENABLED", "variants": {"x": 1}, "defaultVariant": "x"}, "everyone: x"),
        (
            {"state": "ENABLED", "variants": {"x": 1}, "targeting": {}},
            "everyone: the caller's default",
        ),
        (
            {
                "state": "ENABLED",
                "defaultVariant": "off",
                "targeting": {"if": [{"sem_ver": [{"var": "app_version"}, ">=", "2.4.0"]}, "on"]},
            },
            "app_version >= 2.4.0: on; everyone else: off",
        ),
        (
            {
                "state": "ENABLED",
                "defaultVariant": "a",
                "targeting": {"fractional": [{"var": "email"}, ["a", 1], ["b", 3]]},
            },
            "25% a, 75% b (by email)",
        ),
        (
            {
                "state": "ENABLED",
                "defaultVariant": "a",
                "targeting": {"fractional": [["a", {"var": "w"}], ["b", 3]]},
            },
            "a split with weights read from the context",
        ),
        (
            {
                "state": "ENABLED",
                "defaultVariant": "off",
                "targeting": {
                    "if": [
                        {
                            "and": [
                                {"==": [{"var": "tier"}, "gold"]},
                                {"!": {"ends_with": [{"var": "email"}, "@corp.example"]}},
                            ]
                        },
                        "on",
                        None,
                    ]
                },
            },
            'tier == "gold" and not (email ends with "@corp.example"): on; everyone else: off',
        ),
        (
            {"state": "ENABLED", "defaultVariant": "off", "targeting": {"cat": ["o", "n"]}},
            "a custom rule, else off",
        ),
    ],
)
def test_summaries(flag: dict[str, Any], summary: str) -> None:
    assert summarize(flag) == summary


@pytest.mark.parametrize(
    ("variants", "kind"),
    [
        ({"on": True, "off": False}, "boolean"),
        ({"a": "x", "b": "y"}, "string"),
        ({"s": 10, "l": 100}, "integer"),
        ({"s": 10, "l": 0.5}, "float"),
        ({"a": {"x": 1}}, "object"),
        ({"a": "x", "b": 1}, "mixed"),
    ],
)
def test_types(variants: dict[str, Any], kind: str) -> None:
    assert flag_type({"variants": variants}) == kind
