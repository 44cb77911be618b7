"""``amber.watch``: follow an artifact that is replaced while the app runs.  Stdlib only.

Polling, by content digest: each poll reads the file (through symlinks, so a Kubernetes
ConfigMap's ``..data`` swap is seen) and hashes it.  Only a new digest is loaded, from the very
bytes that were hashed, and only a complete, verified, compatible config replaces the current
one.  Anything else (a missing, truncated, corrupt or incompatible file) is reported and the
last good config keeps being served.

``oci://HOST/REPO:TAG`` follows a registry instead (manifest digest first, the blob only when
it changed), and ``cache_dir`` keeps the last good artifact (and signature) on disk, so that a
restart while the registry is down starts from it, verified again.  With ``trust``, every
config must be signed by a trusted key, and a watcher never moves to a lower sequence number
than the one it serves: a replayed old artifact is refused.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar, overload

from amber.atomic import write_bytes
from amber.errors import LoadError, SignatureError
from amber.runtime import signatures
from amber.runtime.config import Config, SecretsMode
from amber.runtime.envelope import read_bytes
from amber.runtime.load import verified_config
from amber.runtime.oci_source import RegistrySource
from amber.runtime.registry import Reference
from amber.runtime.typed_watch import TypedWatcher

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
        trust: signatures.Trust | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        insecure: bool = False,
        environment: str | None = None,
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
        self._keys = signatures.trusted_keys(trust) if trust is not None else None
        self._registry: RegistrySource | None = None
        if self.path.startswith("oci://"):
            signed = self._keys is not None
            self._registry = RegistrySource(Reference.parse(self.path), insecure, signed)
        self._cache = _cache_file(cache_dir, self.path) if cache_dir is not None else None
        # The environment it serves: said, or read from a store pointer or a registry tag.
        located = None
        if self._keys is not None:
            tag = self._registry.reference.tag if self._registry is not None else None
            located = signatures.tag_environment(tag) or signatures.pointer_environment(self.path)
        self._environment: str | None = environment or located
        self._current = self._start_from()  # a bad artifact at startup is the caller's error
        self._environment = self._current.environment
        if expect is None:
            # A reload must not take away what the app started with: no older minor, no
            # other major, unless the caller says which versions it can serve.
            major, minor = self._current.schema_version.split(".")[:2]
            self._expect = f"{major}.{minor}"
        self._reported: bytes | str | None = None
        self._stop = threading.Event()
        self._polling = threading.Lock()  # one poll at a time: a swap and its callbacks agree
        self._thread: threading.Thread | None = None

    def _read(self) -> tuple[bytes, bytes | None]:
        """The artifact's bytes now, and its signature when one is wanted."""
        if self._registry is not None:
            fetched = self._registry.read()
            return fetched.data, fetched.signature
        data = read_bytes(self.path)
        envelope = signatures.read_signature(self.path) if self._keys is not None else None
        return data, envelope

    def _start_from(self) -> Config:
        """The config to start with: the source's, unless it fails or is older than the
        verified last good copy in the cache (a replay at restart); then that copy."""
        # Signed, the cached copy is a floor: read it first.  Unsigned, only if the source fails.
        cached = self._cached() if self._keys is not None else None
        try:
            data, envelope = self._read()
            config = self._load(data, envelope, floor=cached[0] if cached else None)
        except LoadError as exc:
            cached = cached or self._cached()
            if cached is None:
                raise
            log.warning("amber: %s; starting from the last good copy %s", exc, self._cache)
            self._digest = _digest(*cached[1:])
            return cached[0]
        self._keep(data, envelope)
        self._digest = _digest(data, envelope)
        return config

    def _cached(self) -> tuple[Config, bytes, bytes | None] | None:
        """The last good copy, verified as any source is, or None."""
        if self._cache is None or not os.path.exists(self._cache):
            return None
        try:
            data, envelope = read_bytes(self._cache), signatures.read_signature(self._cache)
            return self._load(data, envelope, self._cache), data, envelope
        except LoadError as exc:
            log.warning("amber: not starting from %s: %s", self._cache, exc)
            return None

    def _keep(self, data: bytes, envelope: bytes | None) -> None:
        """The last good artifact in the cache directory: signature first, then the artifact,
        each atomically (a crash between leaves a pair that fails verification, never a wrong
        config)."""
        if self._cache is None:
            return
        try:
            if envelope is not None:
                write_bytes(Path(self._cache + ".sig"), envelope)
            write_bytes(Path(self._cache), data)
        except OSError as exc:
            log.warning("amber: cannot keep the last good copy in %s: %s", self._cache, exc)

    def _load(
        self,
        data: bytes,
        envelope: bytes | None = None,
        source: str = "",
        floor: Config | None = None,
    ) -> Config:
        source = source or self.path
        settings = (self._secrets, self._environ, self._expect, self._environment)
        if self._keys is None:
            secrets, environ, expect, environment = settings
            return Config(
                data,
                source,
                secrets=secrets,
                environ=environ,
                expect=expect,
                environment=environment,
            )
        config = verified_config(data, envelope, self._keys, source, *settings)
        self._check_sequence(config, source, floor)
        return config

    def _check_sequence(self, config: Config, source: str, served: Config | None) -> None:
        """Never backwards: an older signed artifact is a replay, whoever serves it."""
        if served is None or served.signed is None or config.signed is None:
            return
        old, new = served.signed.sequence, config.signed.sequence
        if new < old or (new == old and config.signed.digest != served.signed.digest):
            raise SignatureError(
                f"refusing to go back: publish sequence {new} is not newer than the {old} "
                "this app serves (a replayed or rolled-back artifact; an intended rollback "
                "is signed anew with `amber rollback --sign`)",
                file=source,
            )

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
            data, envelope = self._read()
        except LoadError as exc:
            self._report(exc, key=str(exc))
            return False
        digest = _digest(data, envelope)
        if digest == self._digest:
            self._reported = None  # back to the good file: the next outage is news again
            return False
        try:
            new = self._load(data, envelope, floor=self._current)
        except LoadError as exc:
            self._report(exc, key=digest)
            return False
        self._keep(data, envelope)
        if _same(new, self._current):  # the same statement re-encoded: nothing to tell the app
            self._digest = digest
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


def _same(new: Config, old: Config) -> bool:
    """Signed alike over the same bytes: a signature re-encoded (other JSON, ECDSA's (r, n-s))
    is not a new config."""
    return new.signed is not None and new.signed == old.signed


def _digest(data: bytes, envelope: bytes | None) -> bytes:
    """What a poll compares: the artifact and its signature (a new signature is news)."""
    digest = hashlib.sha256(data)
    digest.update(envelope or b"")
    return digest.digest()


def _cache_file(cache_dir: str | os.PathLike[str], source: str) -> str:
    """One file per followed source, named so that two sources never share it."""
    name = hashlib.sha256(source.encode()).hexdigest()[:16]
    os.makedirs(cache_dir, exist_ok=True)
    return os.path.join(os.fspath(cache_dir), f"amber-{name}.json")


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
    trust: signatures.Trust | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    insecure: bool = False,
    typed: None = None,
    environment: str | None = None,
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
    trust: signatures.Trust | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    insecure: bool = False,
    typed: Callable[[Config], T],
    environment: str | None = None,
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
    trust: signatures.Trust | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    insecure: bool = False,
    typed: Callable[[Config], T] | None = None,
    environment: str | None = None,
) -> Watcher | TypedWatcher[T]:
    """Load ``path`` (a file, or ``oci://HOST/REPO:TAG``) now, raising :class:`LoadError` if
    it is bad, and follow its changes.  ``trust``: the public keys a config must be signed by;
    ``cache_dir``: where the last good copy is kept for a restart while the source is down.

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
        trust=trust,
        cache_dir=cache_dir,
        insecure=insecure,
        environment=environment,
    )
    if typed is None:
        return watcher.start()
    typed_listener: Callable[[T, T], None] | None = on_change  # type: ignore[assignment]
    return TypedWatcher(watcher, typed, typed_listener).start()
