"""Find the Jsonnet line that most likely sets a JSON path.

Jsonnet engines give no source map, so a schema or rule problem in the compiled config is
pointed at the field's definition: first in the environment's own file (overrides live
there), then in the files it imported, in the order they were read.  A field name defined
more than once in a file is narrowed by the names of its parents.
"""

from __future__ import annotations

import re
from pathlib import Path

from amber.paths import Segment


def _field_pattern(name: str) -> re.Pattern[str]:
    quoted = re.escape(name)
    return re.compile(rf"""(?<![\w$.'"])(?:{quoted}|'{quoted}'|"{quoted}")\s*\+?:{{1,3}}(?!:)""")


def _lines_defining(text: str, name: str) -> list[int]:
    pattern = _field_pattern(name)
    return [number for number, line in enumerate(text.splitlines(), 1) if pattern.search(line)]


def _pick(text: str, names: list[str]) -> int | None:
    """The line defining ``names[-1]``, after the lines defining its parents where possible."""
    candidates = _lines_defining(text, names[-1])
    if not candidates:
        return None
    after = 0
    for parent in names[:-1]:
        parent_lines = [line for line in _lines_defining(text, parent) if line >= after]
        if parent_lines:
            after = parent_lines[0]
    narrowed = [line for line in candidates if line >= after]
    return (narrowed or candidates)[0]


def find(root: Path, files: list[str], segments: list[Segment]) -> tuple[str, int] | None:
    """(file, line) of the most likely definition of the value at ``segments``, or None."""
    names = [segment for segment in segments if isinstance(segment, str)]
    texts: dict[str, str] = {}
    for file in files:
        try:
            texts[file] = (root / file).read_text("utf-8", errors="replace")
        except OSError:
            continue
    # The leaf first; if it is defined nowhere (a missing field), its nearest named parent.
    while names:
        for file, text in texts.items():
            line = _pick(text, names)
            if line is not None:
                return file, line
        names = names[:-1]
    return None
