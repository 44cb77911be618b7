"""Finding the Jsonnet line that sets a JSON path."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from amber.compiler.checks import locate

LIB = """{
  cache: {
    enabled: true,
    ttl: 30,
  },
  breaker: {
    enabled: false,
    'ttl': 60,
  },
}
"""
ENV = """local lib = import 'lib.libsonnet';
lib {
  breaker+: { enabled: true },
} + {
  breaker+: { enabled: false },
}
"""


def test_the_environment_file_is_searched_first_and_the_last_override_wins(tmp_path: Path) -> None:
    (tmp_path / "lib.libsonnet").write_text(LIB)
    (tmp_path / "env.jsonnet").write_text(ENV)
    files = ["env.jsonnet", "lib.libsonnet"]
    assert locate.find(tmp_path, files, ["breaker", "enabled"]) == ("env.jsonnet", 5)
    assert locate.find(tmp_path, files, ["cache", "ttl"]) == ("lib.libsonnet", 4)
    assert locate.find(tmp_path, files, ["breaker", "ttl"]) == ("lib.libsonnet", 8)
    assert locate.find(tmp_path, files, ["cache", "enabled"]) == ("lib.libsonnet", 3)


def test_a_missing_leaf_falls_back_to_its_parent(tmp_path: Path) -> None:
    (tmp_path / "lib.libsonnet").write_text(LIB)
    assert locate.find(tmp_path, ["lib.libsonnet"], ["cache", "size"]) == ("lib.libsonnet", 2)
    assert locate.find(tmp_path, ["lib.libsonnet"], ["nothing", 0, "here"]) is None


def test_fields_are_matched_as_whole_names(tmp_path: Path) -> None:
    (tmp_path / "a.jsonnet").write_text("{\n  max_ttl: 1,\n  x: self.ttl,\n  ttl:: 2,\n}\n")
    assert locate.find(tmp_path, ["a.jsonnet"], ["ttl"]) == ("a.jsonnet", 4)


def one_name(name: str) -> re.Pattern[str]:
    """The pattern for one field name, as locate searched before it indexed a file once."""
    quoted = re.escape(name)
    return re.compile(rf"""(?<![\w$.'"])(?:{quoted}|'{quoted}'|"{quoted}")\s*\+?:{{1,3}}(?!:)""")


JSONNET_BITS = st.sampled_from(
    ["a", "b_2", "$c", "'d e'", '"f"', ":", "::", ":::", "+:", " ", "{", "}", ",", ".", "1"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(JSONNET_BITS, max_size=12).map("".join), min_size=1, max_size=6))
def test_indexing_a_file_once_finds_what_searching_name_by_name_found(lines: list[str]) -> None:
    text = "\n".join(lines)
    index = locate.definitions(text)
    # The empty name is left out: searched alone, its bare form is empty and matched any colon
    # (a bug the index does not have; it finds only a quoted '').
    for name in {"a", "b_2", "$c", "d e", "f", *index} - {""}:
        expected = [n for n, line in enumerate(lines, 1) if one_name(name).search(line)]
        assert sorted(set(index.get(name, []))) == expected, (name, text)


def test_a_quoted_name_is_one_name() -> None:
    # searched name by name, `a` was found inside `':a:'`; the index reads the quoted name whole
    # (the generator above keeps quotes balanced for that reason)
    assert locate.definitions("':a:': 1") == {":a:": [1]}


def test_an_empty_field_name_is_only_a_quoted_one() -> None:
    assert locate.definitions(":\n'': 1\n\"\"+: 2").get("") == [2, 3]


def pick_by_scoring_every_pair(
    index: dict[str, list[int]], names: list[str], strict: bool
) -> int | None:
    """locate's choice as it was first written: every candidate against every parent line."""
    candidates = index.get(names[-1], [])
    parents = [index.get(parent, []) for parent in reversed(names[:-1])]
    best: tuple[int, int] | None = None
    chosen = None
    for line in candidates:
        score = (len(parents), 0)
        for depth, lines in enumerate(parents):
            above = [p for p in lines if p <= line]
            if above:
                score = (depth, line - above[-1])
                break
        if strict and parents and score[0] != 0:
            continue
        if best is None or score <= best:
            best, chosen = score, line
    return chosen


NAMES = st.sampled_from(["a", "b", "c", "d"])


@settings(max_examples=2000, deadline=None)
@given(
    st.dictionaries(NAMES, st.lists(st.integers(1, 40), max_size=8).map(sorted)),
    st.lists(NAMES, min_size=1, max_size=4),
    st.booleans(),
)
def test_the_fast_choice_is_the_choice_of_scoring_every_pair(
    index: dict[str, list[int]], names: list[str], strict: bool
) -> None:
    assert locate._pick(index, names, strict) == pick_by_scoring_every_pair(index, names, strict)
