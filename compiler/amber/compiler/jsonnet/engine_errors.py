"""An engine's error text as a diagnostic: ``file:line:col``, at the frame in the repository.

Both engines report errors as text (a message and a stack trace); Amber parses it, never
shows a traceback, and points at the innermost frame in a repository file.
"""

from __future__ import annotations

import re

from amber.compiler.jsonnet.roots import BUNDLED_PREFIX
from amber.errors import Diagnostic

_LOCATION = (
    r"(?P<file>[^\s:][^:\t\n]*?):"
    r"(?:(?P<line>\d+):(?P<col>\d+)(?:-\d+)?|\((?P<pline>\d+):(?P<pcol>\d+)\)-\(\d+:\d+\))"
)
_STATIC = re.compile(rf"^{_LOCATION}\s+(?P<message>.*)$")
_FRAME = re.compile(rf"^(?:\t|\s{{4}}){_LOCATION}")
_PREFIXES = ("RUNTIME ERROR: ", "runtime error: ", "syntax error: ", "assert failed: ")


def parse_engine_error(text: str, entry: str, env: str, known: set[str]) -> Diagnostic:
    """A diagnostic from an engine's error text, at the first frame in a repository file."""
    lines = text.rstrip().splitlines() or [""]
    static = _STATIC.match(lines[0])
    if static:  # go-jsonnet's static errors put the location first
        return _located(static, static.group("message"), env, "jsonnet")
    message_lines: list[str] = []
    frame = None  # the innermost frame in the repository; Amber's own library is skipped
    fallback = None
    for line in lines:
        matched = _FRAME.match(line)
        if matched:
            file = matched.group("file")
            if frame is None and file in known and not file.startswith(BUNDLED_PREFIX):
                frame = matched
            elif fallback is None and file in known:
                fallback = matched
        elif frame is None and fallback is None and not line.startswith(("\t", "    ")):
            message_lines.append(line)
    frame = frame or fallback
    message = "\n".join(message_lines).strip()
    for prefix in _PREFIXES:
        if message.startswith(prefix):
            message = message[len(prefix) :]
            break
    nested = _STATIC.match(message)
    if nested and nested.group("file") in known:
        # A static error in an imported file: go-jsonnet reports it as a runtime error of
        # the import, at the importing line; the fault is in the imported file.
        return _located(nested, nested.group("message"), env, "jsonnet")
    if "max stack frames exceeded" in message or message.startswith("stack overflow"):
        message = "max stack frames exceeded: runaway recursion? (limit: max_stack setting)"
    message = message or "evaluation failed"
    if frame is None:
        return Diagnostic(message, file=entry, env=env, code="jsonnet")
    return _located(frame, message, env, "jsonnet")


def _located(match: re.Match[str], message: str, env: str, code: str) -> Diagnostic:
    line = match.group("line") or match.group("pline")
    col = match.group("col") or match.group("pcol")
    return Diagnostic(
        message.strip(), file=match.group("file"), line=int(line), col=int(col), env=env, code=code
    )
