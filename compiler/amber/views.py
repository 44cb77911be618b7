"""Read-only views over parsed JSON.  Standard library only.

Children are wrapped when they are read, not when the file is parsed: wrapping everything up
front costs more than the parse itself on large artifacts (see ``bench/``), and most apps read
a small part of their config.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

from amber.paths import Segment, parse_path


def wrap(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        return FrozenMap(value)
    if kind is list:
        return FrozenList(value)
    return value


def thaw(value: Any) -> Any:
    """A plain, mutable deep copy (secrets stay :class:`~amber.secrets.Secret`)."""
    if isinstance(value, (dict, FrozenMap)):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, (list, FrozenList)):
        return [thaw(item) for item in value]
    return value


def _read_only(*_: Any, **__: Any) -> Any:
    raise TypeError("amber config is read-only; use to_dict() for a mutable copy")


class FrozenMap(Mapping[str, Any]):
    """A read-only mapping over a JSON object."""

    __slots__ = ("_data",)
    _data: dict[str, Any]

    def __init__(self, data: dict[str, Any]) -> None:
        object.__setattr__(self, "_data", data)

    def __getitem__(self, key: str) -> Any:
        return wrap(self._data[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return bool(self._data == other._data)
        if isinstance(other, Mapping):
            return bool(thaw(self._data) == thaw(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset((key, hash(self[key])) for key in self._data))

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def get(self, key: str, default: Any = None) -> Any:
        """``get("a.b.c", default)``: a dotted path (``a.items[0].b`` for lists) or a plain key."""
        if key in self._data:
            return wrap(self._data[key])
        return lookup(self._data, key, default)

    def to_dict(self) -> dict[str, Any]:
        copied: dict[str, Any] = thaw(self._data)
        return copied

    __setitem__ = __delitem__ = __setattr__ = __delattr__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only


class FrozenList(Sequence[Any]):
    """A read-only sequence over a JSON array."""

    __slots__ = ("_data",)
    _data: list[Any]

    def __init__(self, data: list[Any]) -> None:
        object.__setattr__(self, "_data", data)

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> FrozenList: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return FrozenList(self._data[index])
        return wrap(self._data[index])

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self) -> Iterator[Any]:
        return (wrap(item) for item in self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenList):
            return bool(self._data == other._data)
        if isinstance(other, (list, tuple)):
            return bool(thaw(self._data) == list(thaw(list(other))))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"FrozenList({self._data!r})"

    def to_list(self) -> list[Any]:
        copied: list[Any] = thaw(self._data)
        return copied

    __setitem__ = __delitem__ = __setattr__ = __delattr__ = _read_only
    append = extend = insert = pop = remove = reverse = sort = clear = _read_only


_MISSING = object()


def step(container: Any, segment: Segment) -> Any:
    """One step down a path, or ``_MISSING``."""
    if isinstance(container, dict):
        return container.get(str(segment), _MISSING)
    if isinstance(container, list) and isinstance(segment, int):
        return container[segment] if -len(container) <= segment < len(container) else _MISSING
    return _MISSING


def lookup(data: Any, path: str, default: Any = None) -> Any:
    try:
        segments = parse_path(path)
    except ValueError:
        return default
    current = data
    for segment in segments:
        current = step(current, segment)
        if current is _MISSING:
            return default
    return wrap(current)
