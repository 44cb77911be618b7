"""JsonLogic: every standard operator, and the corners where flagd's evaluators disagree.

Where flagd's Go and Python evaluators differ, Amber answers as JavaScript (json-logic-js,
the JsonLogic reference) does; those cases are pinned here.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from amber.flags.javascript import truthy
from amber.flags.jsonlogic import compile_rule, evaluate

DATA = {
    "a": 1,
    "b": "two",
    "n": None,
    "list": [1, 2, 3],
    "user": {"name": "ann", "tags": ["x", "y"], "age": 30},
    "empty": "",
}


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"var": "a"}, 1),
        ({"var": ["missing", "dflt"]}, "dflt"),
        ({"var": ["n", "dflt"]}, "dflt"),
        ({"var": "user.name"}, "ann"),
        ({"var": "user.tags.1"}, "y"),
        ({"var": "user.tags.length"}, 2),
        ({"var": "list.01"}, None),
        ({"var": ""}, DATA),
        ({"var": 1}, None),
        ({"missing": ["a", "z", "empty"]}, ["z", "empty"]),
        ({"missing": [["a", "q"]]}, ["q"]),
        ({"missing_some": [1, ["a", "z"]]}, []),
        ({"missing_some": [2, ["a", "z", "q"]]}, ["z", "q"]),
        ({"if": []}, None),
        ({"if": [True, "yes", "no"]}, "yes"),
        ({"if": [False, "yes"]}, None),
        ({"if": [False, 1, False, 2, 3]}, 3),
        ({"?:": [0, "yes", "no"]}, "no"),
        ({"==": [1, "1"]}, True),
        ({"==": [None, 0]}, False),
        ({"==": [0, ""]}, True),
        ({"==": [True, "1"]}, True),
        ({"==": [[1, 2], "1,2"]}, True),
        ({"===": [1, 1.0]}, True),
        ({"===": [1, "1"]}, False),
        ({"===": [True, 1]}, False),
        ({"!=": [1, "2"]}, True),
        ({"!==": [1, "1"]}, True),
        ({"!": [[]]}, True),
        ({"!": {}}, False),
        ({"!!": ["0"]}, True),
        ({"!!": [{}]}, True),
        ({"or": [0, "", None]}, None),
        ({"or": [0, "x"]}, "x"),
        ({"and": [1, "", 3]}, ""),
        ({"and": []}, None),
        ({">": [2, 1]}, True),
        ({">=": [1, 1]}, True),
        ({"<": ["10", "9"]}, True),
        ({"<": [10, "9"]}, False),
        ({"<": [1, 2, 3]}, True),
        ({"<": [1, 1, 3]}, False),
        ({"<=": [1, 1, 3]}, True),
        ({"<": [None, 1]}, True),
        ({"max": [1, 3, 2]}, 3),
        ({"min": [3, "1", 2]}, 1),
        ({"max": []}, None),
        ({"+": [1, "2", 3.5]}, 6.5),
        ({"+": ["3"]}, 3),
        ({"+": [0.1, 0.2, 0.3]}, 0.6000000000000001),
        ({"-": [5, 2]}, 3),
        ({"-": [2]}, -2),
        ({"*": [2, "3"]}, 6),
        ({"/": [4, 2]}, 2),
        ({"/": [1, 4]}, 0.25),
        ({"%": [7, 3]}, 1),
        ({"%": [-7, 3]}, -1),
        ({"%": [7.5, 2]}, 1.5),
        ({"map": [{"var": "list"}, {"*": [{"var": ""}, 2]}]}, [2, 4, 6]),
        ({"map": ["nope", {"var": ""}]}, []),
        ({"filter": [{"var": "list"}, {">": [{"var": ""}, 1]}]}, [2, 3]),
        (
            {"reduce": [{"var": "list"}, {"+": [{"var": "current"}, {"var": "accumulator"}]}, 10]},
            16,
        ),
        ({"reduce": [{"var": "list"}, {"+": [{"var": "current"}, {"var": "accumulator"}]}]}, 6),
        ({"reduce": ["x", {"var": "current"}, 7]}, 7),
        ({"all": [{"var": "list"}, {">": [{"var": ""}, 0]}]}, True),
        ({"all": [[], True]}, False),
        ({"some": [{"var": "list"}, {">": [{"var": ""}, 2]}]}, True),
        ({"none": [{"var": "list"}, {">": [{"var": ""}, 5]}]}, True),
        ({"none": [[], True]}, True),
        ({"merge": [[1, 2], 3, [[4]]]}, [1, 2, 3, [4]]),
        ({"in": ["x", {"var": "user.tags"}]}, True),
        ({"in": [1, ["1"]]}, False),
        ({"in": ["wo", {"var": "b"}]}, True),
        ({"in": [1, "a1"]}, True),
        ({"in": ["a", None]}, False),
        ({"cat": ["a", 1, 2.5, 1.0, True, None, [1, 2]]}, "a12.51truenull1,2"),
        ({"cat": [0.1, 1e21, 1e-7]}, "0.11e+211e-7"),
        ({"substr": ["jsonlogic", 4]}, "logic"),
        ({"substr": ["jsonlogic", -5]}, "logic"),
        ({"substr": ["jsonlogic", 1, 3]}, "son"),
        ({"substr": ["jsonlogic", 4, -2]}, "log"),
        ({"substr": ["jsonlogic", -20]}, "jsonlogic"),
        ({"substr": ["jsonlogic", 20]}, ""),
        ({"log": "hello"}, "hello"),
        ({"a": 1, "b": 2}, {"a": 1, "b": 2}),
        ({}, {}),
        ([{"var": "a"}, 2], [1, 2]),
    ],
)
def test_operators(rule: Any, expected: Any) -> None:
    assert evaluate(rule, DATA) == expected


def test_division_by_zero_is_infinite_as_in_javascript() -> None:
    assert evaluate({"/": [1, 0]}, {}) == math.inf
    assert evaluate({"/": [-1, 0]}, {}) == -math.inf
    assert math.isnan(evaluate({"/": [0, 0]}, {}))
    assert math.isnan(evaluate({"%": [1, 0]}, {}))


def test_numbers_from_strings_read_as_javascript_reads_them() -> None:
    assert evaluate({"+": ["1e3", " 2 "]}, {}) == 1002
    assert math.isnan(evaluate({"+": ["inf"]}, {}))
    assert evaluate({"+": ["Infinity"]}, {}) == math.inf
    assert math.isnan(evaluate({"+": ["1_000"]}, {}))
    assert evaluate({"+": [""]}, {}) == 0


def test_unknown_operators_fail_only_when_reached() -> None:
    rule = compile_rule({"if": [{"var": "go"}, {"bogus": 1}, "fine"]})
    assert rule({"go": False}) == "fine"
    with pytest.raises(ReferenceError, match="bogus"):
        rule({"go": True})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, False),
        (0, False),
        (0.0, False),
        (math.nan, False),
        ("", False),
        ([], False),
        ((), False),
        ("0", True),
        ({}, True),
        ([0], True),
        (-1, True),
        (True, True),
        (False, False),
    ],
)
def test_truthiness(value: Any, expected: bool) -> None:
    assert truthy(value) is expected


def test_a_compiled_rule_is_reusable_and_pure() -> None:
    rule = compile_rule({"if": [{">": [{"var": "age"}, 18]}, "adult", "minor"]})
    data = {"age": 30}
    assert [rule(data), rule({"age": 3}), rule(data)] == ["adult", "minor", "adult"]
    assert data == {"age": 30}
