"""Find the Jsonnet line that most likely sets a JSON path.

Jsonnet engines give no source map, so a schema or rule problem in the compiled config is
pointed at the field's definition: first in the environment's own file (overrides live
there), then in the files it imported, in the order they were read.  A field name defined
more than once in a file is narrowed by the names of its parents.
"""

from __future__ import annotations

import re
from pathlib import Path

from amber.jsonpath import Segment


def _field_pattern(name: str) -> re.Pattern[str]:
    quoted = re.escape(name)
    return re.compile(rf"""(?<![\w$.'"])(?:{quoted}|'{quoted}'|"{quoted}")\s*\+?:{{1,3}}(?!:)""")


def _lines_defining(text: str, name: str) -> list[int]:
    pattern = _field_pattern(name)
    return [number for number, line in enumerate(text.splitlines(), 1) if pattern.search(line)]


def _pick(text: str, names: list[str], strict: bool) -> int | None:
    """The line defining ``names[-1]`` inside the closest definition of its parents.

    Each candidate is scored by its innermost parent defined above it and by how far above;
    on a tie the last candidate wins, as a later override in a file wins in Jsonnet.  With
    ``strict``, a candidate needs its immediate parent defined above it in the same file.
    """
    candidates = _lines_defining(text, names[-1])
    parents = [_lines_defining(text, parent) for parent in reversed(names[:-1])]
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


def find(root: Path, files: list[str], segments: list[Segment]) -> tuple[str, int] | None:
    """(file, line) of the most likely definition of the value at ``segments``, or None."""
    names = [segment for segment in segments if isinstance(segment, str)]
    texts: dict[str, str] = {}
    for file in files:
        try:
            texts[file] = (root / file).read_text("utf-8", errors="replace")
        except OSError:
            continue
    # The leaf inside its parent, file by file; then the leaf anywhere; then (a missing
    # field) its nearest named parent.
    while names:
        for strict in (True, False):
            for file, text in texts.items():
                line = _pick(text, names, strict)
                if line is not None:
                    return file, line
        names = names[:-1]
    return None
