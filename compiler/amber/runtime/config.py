"""``Config``: a loaded, verified artifact, served read-only.  Standard library only.

The whole ``config`` is hashed at load (about 0.6 ms per MB); parsing, the expensive part, is
done per top-level section on first read, using the section index the compiler records.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

from amber.errors import IntegrityError, LoadError
from amber.jsonpath import format_path, parse_path
from amber.runtime.envelope import Envelope
from amber.runtime.expect import check_expect
from amber.runtime.secrets import SECRET_KEY, Secret, is_reference, resolve
from amber.runtime.views import FrozenDict, parse, thaw

if TYPE_CHECKING:
    from amber.flags import Evaluation, FlagSet
    from amber.runtime.signatures import Statement

log = logging.getLogger("amber")
_SECRET = b'{"$secret":'

SecretsMode = Literal["eager", "lazy"]


def _why(exc: BaseException) -> str:
    return "nested too deeply" if isinstance(exc, RecursionError) else str(exc)


class Config(Mapping[str, Any]):
    """A loaded, verified artifact: a read-only mapping of its config, plus the envelope.

    Top-level sections are parsed on first read.  Objects are :class:`FrozenDict`, arrays are
    tuples, secret references are :class:`~amber.runtime.secrets.Secret`.
    """

    def __init__(
        self,
        data: bytes,
        source: str,
        *,
        secrets: SecretsMode = "eager",
        environ: Mapping[str, str] | None = None,
        expect: str | None = None,
        environment: str | None = None,
        before_secrets: Callable[[Config], None] | None = None,
    ) -> None:
        if secrets not in ("eager", "lazy"):
            raise ValueError(f"secrets must be 'eager' or 'lazy', not {secrets!r}")
        envelope = Envelope(data, source)
        # Before secrets: an app on the wrong version hears that, not that a secret is missing.
        check_expect(envelope.schema_version, expect, envelope.environment, source)
        if environment is not None and envelope.environment != environment:
            message = f"holds the {envelope.environment} artifact; this app serves {environment}"
            raise LoadError(message, file=source)
        self.path = source
        self.environment: str = envelope.environment
        self.schema_version: str = envelope.schema_version
        self.content_hash: str = envelope.content_hash
        self.provenance: FrozenDict = envelope.provenance
        self._data = data
        self._start, self._end = envelope.config_start, envelope.config_end
        self._secrets_mode: SecretsMode = secrets
        self._environ = environ
        self._index = self._section_index(envelope.provenance.get("sections"))
        # Without an index (an artifact from another producer) the config is parsed whole.
        self._sections: dict[str, Any] = {} if self._index else dict(self._parse_all())
        self._names = list(self._index or self._sections)
        self._flags: FlagSet | None = None
        # What its publisher signed, when it was loaded with trust= (amber.runtime.signatures).
        self.signed: Statement | None = None
        if self.fractional not in ("v2", "v3"):
            raise IntegrityError(f"unknown fractional generation {self.fractional!r}", file=source)
        if before_secrets is not None:  # a signature check: an attack is told before a secret
            before_secrets(self)
        self._load_secret_sections()

    # --- sections ---------------------------------------------------------------------

    def _section_index(self, recorded: Any) -> dict[str, tuple[int, int]]:
        """Validated absolute byte ranges of the top-level values; empty: parse the whole."""
        data, base = self._data, self._start
        if not isinstance(recorded, dict) or not recorded:
            return {}
        index: dict[str, tuple[int, int]] = {}
        expected = 1
        try:
            for key, span in recorded.items():
                start, end = span
                encoded = json.dumps(key, ensure_ascii=False).encode() + b":"
                if start != expected or data[base + start : base + start + len(encoded)] != encoded:
                    raise ValueError
                if data[base + end : base + end + 1] not in (b",", b"}"):
                    raise ValueError
                index[key] = (base + start + len(encoded), base + end)
                expected = end + 1
        except (TypeError, ValueError):
            raise IntegrityError("corrupt section index in provenance", file=self.path) from None
        if base + expected != self._end:
            raise IntegrityError("corrupt section index in provenance", file=self.path)
        return index

    def _parse_all(self) -> FrozenDict:
        try:
            parsed = parse(self._data[self._start : self._end])
        except (ValueError, RecursionError) as exc:
            raise IntegrityError(f"config is not JSON ({_why(exc)})", file=self.path) from None
        if not isinstance(parsed, FrozenDict):
            raise IntegrityError("config is not a JSON object", file=self.path)
        return parsed

    def _section(self, key: str) -> Any:
        try:
            return self._sections[key]
        except KeyError:
            pass
        start, end = self._index[key]
        try:
            value = parse(self._data[start:end])
        except (ValueError, RecursionError) as exc:
            raise IntegrityError(
                f"section {key!r} is not JSON ({_why(exc)})", file=self.path
            ) from None
        if self._data.find(_SECRET, start, end) >= 0:
            value = self._bound(value, key)
        # setdefault: two threads racing to parse keep one object, so readers agree.
        return self._sections.setdefault(key, value)

    def _secret_holders(self) -> set[str]:
        """The sections that hold secret references.

        The compiler lists the references in ``provenance.secrets``; without that list (an
        artifact from another producer) the bytes are searched.
        """
        recorded = self.provenance.get("secrets")
        if not isinstance(recorded, tuple):
            return {
                key
                for key, (start, end) in self._index.items()
                if self._data.find(_SECRET, start, end) >= 0
            }
        holders = set()
        for path in recorded:
            try:
                holders.add(str(parse_path(str(path))[0]))
            except (ValueError, IndexError):
                raise IntegrityError("corrupt secret list in provenance", file=self.path) from None
        return holders

    def _load_secret_sections(self) -> None:
        """Parse now the sections that hold secret references, so eager secrets fail the load."""
        holders = self._secret_holders()
        if not self._index:  # parsed whole already
            for key in list(self._sections):
                self._sections[key] = self._bound(self._sections[key], key)
            return
        if self._secrets_mode == "lazy":  # nothing can fail now: parse on first read as usual
            return
        for key in sorted(holders & set(self._index)):
            self._section(key)

    def _bound(self, value: Any, key: str) -> Any:
        try:
            return self._bind_secrets(value, (key,))
        except RecursionError:  # only from an artifact Amber did not compile (it caps depth)
            raise IntegrityError(f"section {key!r} nests too deeply", file=self.path) from None

    def _bind_secrets(self, value: Any, path: tuple[str | int, ...]) -> Any:
        """``value`` with every secret reference replaced by a :class:`Secret`."""
        if is_reference(value):
            return self._secret(value[SECRET_KEY], format_path(path))
        if isinstance(value, dict):
            return FrozenDict(
                (key, self._bind_secrets(item, (*path, key))) for key, item in value.items()
            )
        if isinstance(value, tuple):
            return tuple(self._bind_secrets(item, (*path, i)) for i, item in enumerate(value))
        return value

    def _secret(self, reference: Any, where: str) -> Secret:
        if not isinstance(reference, str):
            raise LoadError("bad secret reference", file=self.path, path=where)
        if self._secrets_mode == "lazy":
            return Secret(reference, where, environ=self._environ, source=self.path)
        return Secret(reference, where, value=resolve(reference, where, self._environ, self.path))

    # --- the Mapping --------------------------------------------------------------------

    def __getitem__(self, key: str) -> Any:
        if key not in self._sections and key not in self._index:
            raise KeyError(key)
        return self._section(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, key: object) -> bool:
        return key in self._sections or key in self._index

    def __repr__(self) -> str:
        return (
            f"<amber.Config {self.environment} {self.schema_version} "
            f"{self.content_hash[:19]} from {self.path}>"
        )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Config):
            return self.content_hash == other.content_hash
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.content_hash)

    def get(self, key: str, default: Any = None) -> Any:
        """``cfg.get("ai_provider.request_timeout_seconds", 30)``: a dotted path or a key."""
        if key in self:
            return self[key]
        try:
            segments = parse_path(key)
        except ValueError:
            return default
        if not segments or not isinstance(segments[0], str) or segments[0] not in self:
            return default
        current: Any = self[segments[0]]
        for segment in segments[1:]:
            if isinstance(current, dict) and str(segment) in current:
                current = current[str(segment)]
            elif isinstance(current, tuple) and isinstance(segment, int) and segment < len(current):
                current = current[segment]
            else:
                return default
        return current

    def to_dict(self) -> dict[str, Any]:
        """A plain, mutable deep copy of the config."""
        try:
            return {key: thaw(self[key]) for key in self._names}
        except RecursionError:  # only from an artifact Amber did not compile (it caps depth)
            raise IntegrityError("config nests too deeply to copy", file=self.path) from None

    # --- flags ------------------------------------------------------------------------

    def flag_set(self) -> FlagSet:
        """The config's ``flags``, evaluated with the bucketing its artifact records."""
        if self._flags is None:
            from amber.flags import FlagSet

            flags = self.get("flags", {})
            # Not an object (an artifact from another producer): no flag is found, and
            # cfg.flag keeps its promise never to raise.
            self._flags = FlagSet(
                flags if isinstance(flags, Mapping) else {}, fractional=self.fractional
            )
        return self._flags

    @property
    def fractional(self) -> str:
        """flagd's ``fractional`` generation this artifact was compiled for (``v3`` if unsaid)."""
        recorded = self.provenance.get("flags", {})
        value = recorded.get("fractional", "v3") if isinstance(recorded, Mapping) else "v3"
        return str(value)

    def evaluate(
        self,
        key: str,
        context: Mapping[str, Any] | None = None,
        default: Any = None,
        *,
        type: str | None = None,
    ) -> Evaluation:
        """flagd's evaluation of flag ``key``: value, variant, reason, error code, metadata.

        ``type`` ("boolean", "string", "integer", "float", "object") is checked like an
        OpenFeature client does; without it the type of ``default`` is, if it has one.
        """
        return self.flag_set().evaluate(key, context, default, expected=type)

    def flag(self, key: str, context: Mapping[str, Any] | None = None, default: Any = None) -> Any:
        """The flag's value for ``context``; ``default`` on any problem.  Never raises."""
        try:
            return self.flag_set().evaluate(key, context, default).value
        except Exception:  # the promise: a flag read never takes the app down
            log.exception("amber: flag %r of %s failed; answering the default", key, self.path)
            return default
