"""Read-only JSON values: objects as :class:`FrozenDict`, arrays as tuples.  Stdlib only.

They are built by the JSON parser itself (``object_pairs_hook``), so reading a loaded config
is plain C-speed dict and tuple access: walking every value of a large artifact costs what it
costs on ``orjson.loads`` output (``python -m bench``).  A ``FrozenDict`` is a ``dict``, so
``json.dumps`` and ``isinstance(x, dict)`` work; every way of changing it raises ``TypeError``.
"""

from __future__ import annotations

import gc
import json
from typing import Any, NoReturn


def _read_only(*_: Any, **__: Any) -> NoReturn:
    raise TypeError("amber config is read-only; use to_dict() for a mutable copy")


class FrozenDict(dict[str, Any]):
    """A JSON object that cannot be changed; hashable when its values are."""

    __slots__ = ()

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __copy__(self) -> FrozenDict:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenDict:
        return self

    def __reduce__(self) -> tuple[type[FrozenDict], tuple[list[tuple[str, Any]]]]:
        return FrozenDict, (list(self.items()),)

    def __repr__(self) -> str:
        return f"FrozenDict({dict.__repr__(self)})"

    def to_dict(self) -> dict[str, Any]:
        """A plain, mutable deep copy."""
        copied: dict[str, Any] = thaw(self)
        return copied


def _freeze_list(items: list[Any]) -> tuple[Any, ...]:
    return tuple([_freeze_list(item) if type(item) is list else item for item in items])


_set = dict.__setitem__


def object_hook(pairs: list[tuple[str, Any]]) -> FrozenDict:
    """The parser's ``object_pairs_hook``: objects frozen, the arrays in them made tuples."""
    frozen = FrozenDict(pairs)  # built in C from the pairs
    if len(frozen) != len(pairs):  # which of two values is meant?  Neither: refuse
        raise ValueError("duplicate key in an object")
    for key, value in pairs:
        if type(value) is list:
            _set(frozen, key, _freeze_list(value))
    return frozen


def freeze(value: Any) -> Any:
    """A frozen copy of a parsed JSON value (the parser's top level may be an array)."""
    if type(value) is list:
        return _freeze_list(value)
    return value


def thaw(value: Any) -> Any:
    """A plain, mutable deep copy (secrets stay :class:`~amber.secrets.Secret`)."""
    if isinstance(value, dict):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [thaw(item) for item in value]
    return value


def _not_a_number(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse(data: bytes) -> Any:
    """JSON to frozen values.  Raises ``ValueError`` or ``RecursionError`` on bad bytes."""
    # The cyclic GC walks every container the parser creates; a large parse spends much of
    # its time there (bench/).  Parsing creates no cycles, so it is paused meanwhile.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return freeze(json.loads(data, object_pairs_hook=object_hook, parse_constant=_not_a_number))
    finally:
        if enabled:
            gc.enable()
