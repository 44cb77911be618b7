"""The site's HTML helpers: escaping and element ids."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from amber.compiler.docs.html import anchor, esc


def test_text_is_escaped_and_control_characters_made_visible() -> None:
    assert esc('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"
    assert esc("tab\there\nnul\x00 esc\x1b") == "tab\there\nnul\\u0000 esc\\u001b"


@given(st.text(max_size=12), st.text(max_size=12))
def test_one_id_per_path(first: str, second: str) -> None:
    if first != second:
        assert anchor(first) != anchor(second)
    assert all(c.isascii() and not c.isspace() for c in anchor(first))
