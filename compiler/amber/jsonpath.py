"""JSON paths as people write them: ``ai_provider.fallback_providers[1]``.  Stdlib only."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeAlias

Segment: TypeAlias = "str | int"

_PLAIN = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*")
_TOKEN = re.compile(r"""\.?([A-Za-z0-9_$-]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]""")


def format_path(segments: Iterable[Segment]) -> str:
    """``("a", 0, "b.c")`` -> ``a[0]["b.c"]``; the root is ``$``."""
    text = ""
    for segment in segments:
        if isinstance(segment, int):
            text += f"[{segment}]"
        elif _PLAIN.fullmatch(segment) and (text or segment != "$"):  # "$" alone: the root
            text += f".{segment}" if text else segment
        else:
            escaped = segment.replace("\\", "\\\\").replace('"', '\\"')
            text += f'["{escaped}"]'
    return text or "$"


def parse_path(text: str) -> list[Segment]:
    """The inverse of :func:`format_path`; ``a.0`` also means ``a[0]``."""
    if text in ("", "$"):
        return []
    segments: list[Segment] = []
    position = 0
    while position < len(text):
        matched = _TOKEN.match(text, position)
        if not matched or matched.end() == position:
            raise ValueError(f"bad path {text!r} at character {position + 1}")
        name, index, quoted = matched.groups()
        if index is not None:
            segments.append(int(index))
        elif quoted is not None:
            segments.append(quoted[1:-1].replace('\\"', '"').replace("\\\\", "\\"))
        else:
            segments.append(int(name) if name.isdigit() else name)
        position = matched.end()
    return segments
