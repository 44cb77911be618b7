"""Typed flags from every environment's flags: one type per flag, string values as a union."""

from __future__ import annotations

from typing import Any

from amber.compiler.typed.flags import flag_specs


def flag(variants: dict[str, Any], owner: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"state": "ENABLED", "variants": variants}
    if owner:
        out["metadata"] = {"owner": owner}
    return out


def test_the_union_over_environments() -> None:
    specs, problems = flag_specs(
        {
            "dev": {"flags": {"theme": flag({"a": "dark"}, "ui"), "limit": flag({"x": 1})}},
            "prod": {
                "flags": {
                    "theme": flag({"a": "dark", "b": "light"}, "web"),
                    "limit": flag({"x": 2.5}),
                    "prod_only": flag({"on": True, "off": False}),
                }
            },
            "broken": {"flags": "not a map"},
        }
    )
    assert problems == []
    by_key = {s.key: s for s in specs}
    assert list(by_key) == ["limit", "prod_only", "theme"]
    assert by_key["theme"].annotation == 'Literal["dark", "light"]'
    assert by_key["theme"].owners == ["ui", "web"]
    assert by_key["limit"].kind == "float"  # 1 in dev, 2.5 in prod: a float to a client
    assert by_key["prod_only"].environments == ["prod"] and by_key["prod_only"].kind == "boolean"


def test_a_flag_of_two_types_is_reported_once_and_left_out() -> None:
    specs, problems = flag_specs(
        {
            "dev": {"flags": {"f": flag({"a": "x"}), "mixed": flag({"a": "x", "b": 1})}},
            "prod": {"flags": {"f": flag({"a": 1})}},
        }
    )
    assert specs == []
    (problem,) = problems
    assert problem.path == "flags.f" and problem.code == "flag-types"
    assert "(integer in prod; string in dev)" in problem.message
