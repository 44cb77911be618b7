"""``amber.watch``: follow an artifact that is replaced while the app runs.  Stdlib only.

Polling, by content digest: each poll reads the file (through symlinks, so a Kubernetes
ConfigMap's ``..data`` swap is seen) and hashes it.  Only a new digest is loaded, from the very
bytes that were hashed, and only a complete, verified, compatible config replaces the current
one.  Anything else (a missing, truncated, corrupt or incompatible file) is reported and the
last good config keeps being served.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable, Mapping
from typing import Generic, TypeVar, overload

from amber.errors import LoadError
from amber.runtime.config import Config, SecretsMode
from amber.runtime.envelope import read_bytes

log = logging.getLogger("amber")

OnChange = Callable[[Config, Config], None]
OnError = Callable[[LoadError], None]
T = TypeVar("T")


class Watcher:
    """Holds the newest good config of one artifact; ``current`` is always complete."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        on_change: OnChange | None = None,
        on_error: OnError | None = None,
        interval: float = 1.0,
        expect: str | None = None,
        secrets: SecretsMode = "eager",
        environ: Mapping[str, str] | None = None,
    ) -> None:
        if not 0 < interval < 86400 * 365:  # also refuses NaN, which compares false
            raise ValueError(f"interval must be a positive number of seconds, not {interval!r}")
        self.path = os.fspath(path)
        self.interval = interval
        self._listeners: list[OnChange] = [on_change] if on_change is not None else []
        self._on_error = on_error
        self._expect = expect
        self._secrets: SecretsMode = secrets
        self._environ = environ
        data = read_bytes(self.path)
        self._environment: str | None = None
        self._current = self._load(data)  # a bad file at startup is the caller's error
        self._environment = self._current.environment
        if expect is None:
            # A reload must not take away what the app started with: no older minor, no
            # other major, unless the caller says which versions it can serve.
            major, minor = self._current.schema_version.split(".")[:2]
            self._expect = f"{major}.{minor}"
        self._digest = hashlib.sha256(data).digest()
        self._reported: bytes | str | None = None
        self._stop = threading.Event()
        self._polling = threading.Lock()  # one poll at a time: a swap and its callbacks agree
        self._thread: threading.Thread | None = None

    def _load(self, data: bytes) -> Config:
        config = Config(
            data, self.path, secrets=self._secrets, environ=self._environ, expect=self._expect
        )
        if self._environment not in (None, config.environment):
            raise LoadError(
                f"now holds the {config.environment} artifact; this watcher serves "
                f"{self._environment}",
                file=self.path,
            )
        return config

    @property
    def current(self) -> Config:
        """The newest config that loaded and verified; never a partial one."""
        return self._current

    def poll(self) -> bool:
        """Look once; True when a new config was swapped in.  The thread calls this."""
        with self._polling:
            return self._poll()

    def _poll(self) -> bool:
        try:
            data = read_bytes(self.path)
        except LoadError as exc:
            self._report(exc, key=str(exc))
            return False
        digest = hashlib.sha256(data).digest()
        if digest == self._digest:
            self._reported = None  # back to the good file: the next outage is news again
            return False
        try:
            new = self._load(data)
        except LoadError as exc:
            self._report(exc, key=digest)
            return False
        old, self._current, self._digest = self._current, new, digest
        self._reported = None
        log.info("amber: %s changed: %s -> %s", self.path, old.content_hash, new.content_hash)
        for listener in list(self._listeners):
            try:
                listener(old, new)
            except Exception:  # a callback bug must not stop the watcher
                log.exception("amber: on_change callback failed for %s", self.path)
        return True

    def add_listener(self, on_change: OnChange) -> None:
        """Also call ``on_change(old, new)`` after each swap."""
        self._listeners.append(on_change)

    def _report(self, error: LoadError, key: bytes | str) -> None:
        if key == self._reported:  # say it once per bad file, not once per poll
            return
        self._reported = key
        log.warning("amber: keeping the last good config of %s: %s", self.path, error)
        if self._on_error is not None:
            try:
                self._on_error(error)
            except Exception:
                log.exception("amber: on_error callback failed for %s", self.path)

    def start(self) -> Watcher:
        """Poll on a daemon thread; after :meth:`stop`, ``start`` polls again."""
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._run, name=f"amber-watch:{self.path}", daemon=True
            )
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.poll()
            except Exception:
                log.exception("amber: unexpected error watching %s", self.path)

    def stop(self) -> None:
        """Stop polling and wait for the thread (unless called from a callback on it)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


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


@overload
def watch(
    path: str | os.PathLike[str],
    on_change: OnChange | None = None,
    interval: float = 1.0,
    *,
    on_error: OnError | None = None,
    expect: str | None = None,
    secrets: SecretsMode = "eager",
    environ: Mapping[str, str] | None = None,
    typed: None = None,
) -> Watcher: ...


@overload
def watch(
    path: str | os.PathLike[str],
    on_change: Callable[[T, T], None] | None = None,
    interval: float = 1.0,
    *,
    on_error: OnError | None = None,
    expect: str | None = None,
    secrets: SecretsMode = "eager",
    environ: Mapping[str, str] | None = None,
    typed: Callable[[Config], T],
) -> TypedWatcher[T]: ...


def watch(
    path: str | os.PathLike[str],
    on_change: Callable[[T, T], None] | OnChange | None = None,
    interval: float = 1.0,
    *,
    on_error: OnError | None = None,
    expect: str | None = None,
    secrets: SecretsMode = "eager",
    environ: Mapping[str, str] | None = None,
    typed: Callable[[Config], T] | None = None,
) -> Watcher | TypedWatcher[T]:
    """Load ``path`` now (raising :class:`LoadError` if it is bad) and follow its changes.

    With ``typed`` (a generated module's ``from_config``), ``current`` and ``on_change`` see
    typed configs.
    """
    watcher = Watcher(
        path,
        on_change=None if typed is not None else on_change,  # type: ignore[arg-type]
        on_error=on_error,
        interval=interval,
        expect=expect,
        secrets=secrets,
        environ=environ,
    )
    if typed is None:
        return watcher.start()
    typed_listener: Callable[[T, T], None] | None = on_change  # type: ignore[assignment]
    return TypedWatcher(watcher, typed, typed_listener).start()
