"""What an engine returns, checked before anything else reads it: size, JSON, depth, an object."""

from __future__ import annotations

from typing import Any

from amber import canonical
from amber.jsonpath import format_path

# Deeper than any real config, shallow enough for every recursive walk (schema validation,
# secret scanning, canonical dumps) to stay far from Python's recursion limit.
MAX_DEPTH = 100


class BadOutput(Exception):
    """The output is not a config; ``path`` is where, when a place is known."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.path = path


def config_from(output: str) -> dict[str, Any]:
    """The config an engine's output text holds; raises :class:`BadOutput`.

    Its size is checked on the bytes an artifact will hold (``compile``), not on the engine's
    indented text, which can be several times larger.
    """
    deep: tuple[str | int, ...] | None
    try:
        value = canonical.loads(output)
    except RecursionError:
        value, deep = None, ("...",)
    except ValueError as exc:  # not seen from go-jsonnet or rjsonnet; kept for another engine
        raise BadOutput(f"the engine's output is not JSON ({exc})") from None
    else:
        deep = too_deep(value, MAX_DEPTH)
    if deep is not None:
        raise BadOutput(
            f"the config nests more than {MAX_DEPTH} levels deep "
            "(runaway recursion in the Jsonnet?)",
            format_path(deep) if deep != ("...",) else "",
        )
    if not isinstance(value, dict):
        kind = type(value).__name__ if value is not None else "null"
        raise BadOutput(f"an environment must evaluate to an object, not {_json_kind(kind)}")
    return value


def too_deep(value: Any, limit: int) -> tuple[str | int, ...] | None:
    """The path of the first value nested more than ``limit`` levels deep, if any."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        node, path = stack.pop()
        if len(path) > limit:
            return path
        if isinstance(node, dict):
            stack.extend((item, (*path, key)) for key, item in node.items())
        elif isinstance(node, list):
            stack.extend((item, (*path, index)) for index, item in enumerate(node))
    return None


def _json_kind(python_kind: str) -> str:
    return {"list": "an array", "str": "a string", "int": "a number", "float": "a number"}.get(
        python_kind, "a " + python_kind.replace("bool", "boolean")
    )
