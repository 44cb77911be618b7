"""``amber.watch(..., typed=...)``: a watcher's configs seen through generated types."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from amber.runtime.config import Config

if TYPE_CHECKING:
    from amber.runtime.watch import Watcher

log = logging.getLogger("amber")
T = TypeVar("T")


class TypedWatcher(Generic[T]):
    """A :class:`Watcher` that serves typed configs (from a module ``amber types`` wrote).

    The typed object is built when a config is swapped in, so ``current`` is always the typed
    view of the watcher's current config.
    """

    def __init__(
        self,
        watcher: Watcher,
        typed: Callable[[Config], T],
        on_change: Callable[[T, T], None] | None = None,
    ) -> None:
        self.watcher = watcher
        self._typed = typed
        self._current = typed(watcher.current)
        self._listeners = [on_change] if on_change is not None else []
        watcher.add_listener(self._swap)

    def _swap(self, _old: Config, new: Config) -> None:
        old, self._current = self._current, self._typed(new)
        for listener in list(self._listeners):
            try:
                listener(old, self._current)
            except Exception:  # a callback bug must not stop the watcher
                log.exception("amber: on_change callback failed for %s", self.watcher.path)

    @property
    def current(self) -> T:
        """The typed view of the newest good config."""
        return self._current

    def poll(self) -> bool:
        return self.watcher.poll()

    def start(self) -> TypedWatcher[T]:
        self.watcher.start()
        return self

    def stop(self) -> None:
        self.watcher.stop()

    def __enter__(self) -> TypedWatcher[T]:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
