"""JSON paths: formatting and parsing are inverses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amber.jsonpath import format_path, parse_path

segments = st.lists(
    st.one_of(st.integers(min_value=0, max_value=999), st.text(min_size=1, max_size=8)), max_size=6
)


@given(segments)
def test_parse_inverts_format(path: list[str | int]) -> None:
    formatted = format_path(path)
    parsed = parse_path(formatted)
    # A key made of digits and an index print differently, so they parse back exactly.
    assert parsed == path


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ([], "$"),
        (["a", "b"], "a.b"),
        (["a", 0, "b"], "a[0].b"),
        (["api_keys", "$secret"], "api_keys.$secret"),
        (["a", "b.c"], 'a["b.c"]'),
        (["0"], '["0"]'),
    ],
)
def test_forms(path: list[str | int], text: str) -> None:
    assert format_path(path) == text


def test_dotted_index_is_accepted() -> None:
    assert parse_path("a.0.b") == ["a", 0, "b"]


def test_garbage_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_path("a..b")
