"""Flag evaluation: flagd's outcomes, types, context, the clock, rollouts, and determinism."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

import amber
from amber.flags import FlagSet
from tests.support.repo import ROOT, clean_env

GOLDEN = ROOT / "tests" / "golden" / "prod.json"
ON_OFF = {"on": True, "off": False}


def one(
    flag: dict[str, Any], context: dict[str, Any] | None = None, default: Any = None, **kw: Any
) -> Any:
    result = FlagSet({"f": flag}, **kw).evaluate("f", context, default)
    return (result.value, result.variant, result.reason, result.error_code)


@pytest.mark.parametrize(
    ("flag", "context", "default", "expected"),
    [
        # static: the default variant
        (
            {"state": "ENABLED", "variants": ON_OFF, "defaultVariant": "on"},
            {},
            False,
            (True, "on", "STATIC", None),
        ),
        (
            {"state": "ENABLED", "variants": ON_OFF, "defaultVariant": "on", "targeting": {}},
            {},
            False,
            (True, "on", "STATIC", None),
        ),
        # no default variant: the caller's default, reason DEFAULT
        ({"state": "ENABLED", "variants": ON_OFF}, {}, True, (True, None, "DEFAULT", None)),
        (
            {"state": "ENABLED", "variants": ON_OFF, "defaultVariant": None},
            {},
            False,
            (False, None, "DEFAULT", None),
        ),
        (
            {"state": "ENABLED", "variants": ON_OFF, "defaultVariant": ""},
            {},
            False,
            (False, None, "DEFAULT", None),
        ),
        # disabled: the caller's default, no variant
        (
            {"state": "DISABLED", "variants": ON_OFF, "defaultVariant": "on"},
            {},
            False,
            (False, None, "DISABLED", None),
        ),
        # targeting
        (
            {
                "state": "ENABLED",
                "variants": ON_OFF,
                "defaultVariant": "off",
                "targeting": {"if": [{"==": [{"var": "tier"}, "gold"]}, "on", None]},
            },
            {"tier": "gold"},
            False,
            (True, "on", "TARGETING_MATCH", None),
        ),
        (
            {
                "state": "ENABLED",
                "variants": ON_OFF,
                "defaultVariant": "off",
                "targeting": {"if": [{"==": [{"var": "tier"}, "gold"]}, "on", None]},
            },
            {"tier": "tin"},
            False,
            (False, "off", "DEFAULT", None),
        ),
        (
            {
                "state": "ENABLED",
                "variants": ON_OFF,
                "defaultVariant": "off",
                "targeting": {"if": [True, "off", None]},
            },
            {},
            True,
            (False, "off", "TARGETING_MATCH", None),
        ),
        (
            {
                "state": "ENABLED",
                "variants": {"true": 1, "false": 0},
                "defaultVariant": "false",
                "targeting": {"==": [1, 1]},
            },
            {},
            9,
            (1, "true", "TARGETING_MATCH", None),
        ),
        (
            {
                "state": "ENABLED",
                "variants": {"1": "one", "2": "two"},
                "defaultVariant": "1",
                "targeting": {"+": [1, 1]},
            },
            {},
            "x",
            ("two", "2", "TARGETING_MATCH", None),
        ),
        # errors: the caller's default
        (
            {
                "state": "ENABLED",
                "variants": ON_OFF,
                "defaultVariant": "off",
                "targeting": {"if": [True, "maybe", "off"]},
            },
            {},
            False,
            (False, None, "ERROR", "GENERAL"),
        ),
        (
            {"state": "ENABLED", "variants": ON_OFF, "defaultVariant": "gone"},
            {},
            False,
            (False, None, "ERROR", "GENERAL"),
        ),
        (
            {
                "state": "ENABLED",
                "variants": ON_OFF,
                "defaultVariant": "off",
                "targeting": {"invalid": ["rule"]},
            },
            {},
            False,
            (False, None, "ERROR", "PARSE_ERROR"),
        ),
        (
            {
                "state": "ENABLED",
                "variants": ON_OFF,
                "defaultVariant": "off",
                "targeting": {"$ref": "shared"},
            },
            {},
            False,
            (False, None, "ERROR", "PARSE_ERROR"),
        ),
        (
            {
                "state": "ENABLED",
                "variants": ON_OFF,
                "defaultVariant": "off",
                "targeting": {"if": [True, {"+": [0.5, 0.5]}, "off"]},
            },
            {},
            False,
            (False, None, "ERROR", "GENERAL"),
        ),
    ],
)
def test_outcomes_match_flagd(
    flag: dict[str, Any], context: dict[str, Any], default: Any, expected: tuple[Any, ...]
) -> None:
    assert one(flag, context, default) == expected


def test_flag_not_found() -> None:
    result = FlagSet({}).evaluate("nope", {}, "dflt")
    assert (result.value, result.reason, result.error_code) == ("dflt", "ERROR", "FLAG_NOT_FOUND")


@pytest.mark.parametrize(
    ("variants", "kind", "ok", "value"),
    [
        (ON_OFF, "boolean", True, True),
        (ON_OFF, "string", False, None),
        (ON_OFF, "integer", False, None),
        (ON_OFF, "float", False, None),  # flagd's errors.feature: a boolean is not a float
        ({"on": 3, "off": 0}, "integer", True, 3),
        ({"on": 3, "off": 0}, "float", True, 3.0),
        ({"on": 3.5, "off": 0}, "integer", False, None),
        ({"on": "x", "off": "y"}, "object", False, None),
        ({"on": {"k": 1}, "off": {}}, "object", True, {"k": 1}),
    ],
)
def test_types_are_checked_like_an_openfeature_client(
    variants: dict[str, Any], kind: str, ok: bool, value: Any
) -> None:
    flag = {"state": "ENABLED", "variants": variants, "defaultVariant": "on"}
    result = FlagSet({"f": flag}).evaluate("f", {}, None, expected=kind)
    if ok:
        assert (result.value, result.reason) == (value, "STATIC")
        assert type(result.value) is type(value)
    else:
        assert (result.value, result.error_code) == (None, "TYPE_MISMATCH")


def test_the_type_of_the_default_is_the_expected_type() -> None:
    flag = {"state": "ENABLED", "variants": {"a": "text"}, "defaultVariant": "a"}
    assert FlagSet({"f": flag}).evaluate("f", {}, False).error_code == "TYPE_MISMATCH"
    assert FlagSet({"f": flag}).evaluate("f", {}, "d").value == "text"


def test_metadata_comes_with_results_not_with_errors() -> None:
    flag = {
        "state": "ENABLED",
        "variants": ON_OFF,
        "defaultVariant": "on",
        "metadata": {"owner": "a", "v": 2},
    }
    assert dict(FlagSet({"f": flag}).evaluate("f").metadata) == {"owner": "a", "v": 2}
    assert dict(FlagSet({"f": flag}).evaluate("f", {}, "str").metadata) == {}


def test_flagd_context_is_injected_and_wins() -> None:
    rule = {
        "if": [
            {"==": [{"var": "$flagd.flagKey"}, "f"]},
            {"cat": ["t", {"var": "$flagd.timestamp"}]},
            "no",
        ]
    }
    flag = {
        "state": "ENABLED",
        "variants": {"t1700000000": 1, "no": 0},
        "defaultVariant": "no",
        "targeting": rule,
    }
    flags = FlagSet({"f": flag}, clock=lambda: 1_700_000_000.9)
    result = flags.evaluate("f", {"$flagd": {"flagKey": "spoofed"}}, 0)
    assert (result.value, result.variant) == (1, "t1700000000")


def test_time_based_rules_use_the_injected_clock() -> None:
    # flagd-testbed "Time-based operations": compare $flagd.timestamp with an attribute.
    rule = {"if": [{">": [{"var": "$flagd.timestamp"}, {"var": "time"}]}, "past", "future"]}
    flag = {
        "state": "ENABLED",
        "variants": {"past": 1, "future": -1},
        "defaultVariant": "past",
        "targeting": rule,
    }
    flags = FlagSet({"f": flag}, clock=lambda: 2_000_000_000)
    assert flags.evaluate("f", {"time": 1}, 0).value == 1
    assert flags.evaluate("f", {"time": 4_133_980_802}, 0).value == -1


def test_raising_a_rollout_keeps_everyone_who_was_in() -> None:
    def rollout(percent: int, generation: str) -> FlagSet:
        rule = {"fractional": [["on", percent], ["off", 100 - percent]]}
        flag = {"state": "ENABLED", "variants": ON_OFF, "defaultVariant": "off", "targeting": rule}
        return FlagSet({"f": flag}, fractional=generation)

    users = [f"user-{i}" for i in range(5000)]
    for generation in ("v2", "v3"):
        at_10 = {
            u
            for u in users
            if rollout(10, generation).evaluate("f", {"targetingKey": u}, False).value
        }
        at_20 = {
            u
            for u in users
            if rollout(20, generation).evaluate("f", {"targetingKey": u}, False).value
        }
        assert at_10 < at_20
        assert 400 < len(at_10) < 600 and 900 < len(at_20) < 1100


def test_the_generations_bucket_differently() -> None:
    rule = {"fractional": [["on", 50], ["off", 50]]}
    flag = {"state": "ENABLED", "variants": ON_OFF, "defaultVariant": "off", "targeting": rule}
    users = [f"user-{i}" for i in range(1000)]
    v2 = [
        FlagSet({"f": flag}, fractional="v2").evaluate("f", {"targetingKey": u}).value
        for u in users
    ]
    v3 = [
        FlagSet({"f": flag}, fractional="v3").evaluate("f", {"targetingKey": u}).value
        for u in users
    ]
    assert 300 < sum(a != b for a, b in zip(v2, v3, strict=True)) < 700


def test_the_reference_artifact_answers_the_same_in_every_process() -> None:
    users = [f"user{i}" for i in range(200)] + ["admin@learnapp.example", "beta-tester-1"]
    script = (
        "import amber, json, sys\n"
        f"cfg = amber.load({str(GOLDEN)!r}, secrets='lazy')\n"
        f"users = {users!r}\n"
        "print(json.dumps([[cfg.flag(f, {'targetingKey': u, 'app_version': '2.5.0'}, None) for f in cfg['flags']] for u in users]))\n"
    )
    answers = set()
    for seed in ("0", "1", "random"):
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env=clean_env(PYTHONHASHSEED=seed),
        )
        answers.add(done.stdout)
    assert len(answers) == 1
    table = json.loads(answers.pop())
    adaptive = [row[0] for row in table]
    assert adaptive[-2:] == [True, True]  # the allow-list
    assert 5 <= sum(adaptive[:200]) <= 40  # a 10% rollout of 200 users


def test_cfg_flag_never_raises() -> None:
    cfg = amber.load(GOLDEN, secrets="lazy")
    assert cfg.flag("no-such-flag", {"targetingKey": "u"}, default="fallback") == "fallback"
    assert cfg.flag("adaptive_learning", None, default=False) is False  # no targeting key: off
    assert (
        cfg.flag("new_scheduler", {"targetingKey": "admin@learnapp.example"}, default=False)
        is False
    )
    result = cfg.evaluate("ai_hints", {"app_version": "2.4.0"}, False)
    assert (result.value, result.variant, result.reason) == (True, "on", "TARGETING_MATCH")
    assert cfg.evaluate("new_scheduler", {}, False).reason == "DISABLED"
    assert cfg.fractional == "v3"


def test_a_var_default_that_is_a_rule_is_evaluated() -> None:
    # flagd (and json-logic-js) evaluate every argument of var, the default included.
    variants = {"a": "A", "b": "B"}
    flags = FlagSet(
        {
            "f": {
                "state": "ENABLED",
                "variants": variants,
                "defaultVariant": "a",
                "targeting": {"var": ["region", {"var": "country"}]},
            },
            "g": {
                "state": "ENABLED",
                "variants": variants,
                "defaultVariant": "a",
                "targeting": {"if": [{"==": [{"var": ["plan", {"cat": ["a"]}]}, "a"]}, "b", "a"]},
            },
        }
    )
    assert flags.evaluate("f", {"country": "b"}, "D").value == "B"
    assert flags.evaluate("f", {"region": "a", "country": "b"}, "D").value == "A"
    assert flags.evaluate("g", {}, "D").value == "B"


def test_odd_keys_and_rules_too_deep_to_compile_answer_the_default() -> None:
    deep: dict[str, object] = {"==": [1, 1]}
    for _ in range(2000):
        deep = {"!": [deep]}
    flags = FlagSet(
        {
            "deep": {
                "state": "ENABLED",
                "variants": ON_OFF,
                "defaultVariant": "off",
                "targeting": deep,
            },
            "simple": {"state": "ENABLED", "variants": ON_OFF, "defaultVariant": "on"},
        }
    )
    assert flags.evaluate("deep", {}, False)[3:5] == ("ERROR", "PARSE_ERROR")
    assert flags.evaluate("simple", {}, False).value is True  # the others are unharmed
    assert flags.evaluate(["simple"], {}, "dflt")[1:5] == ("dflt", None, "ERROR", "FLAG_NOT_FOUND")  # type: ignore[arg-type]
    cfg = amber.load(GOLDEN, secrets="lazy")
    assert cfg.flag(["k"], {}, "dflt") == "dflt"  # type: ignore[arg-type]
