"""Secret references: ``{"$secret": "env:NAME"}`` and ``{"$secret": "file:/path"}``.

The runtime resolves them into :class:`Secret` values whose ``repr`` and ``str`` are masked,
so a secret never reaches a log by accident; ``reveal()`` is the one way to the real value.
Standard library only.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any

from amber.errors import SecretError

SECRET_KEY = "$secret"
MASK = "********"


def is_reference(value: Any) -> bool:
    """``{"$secret": ...}`` and nothing else beside it: the one shape everyone recognises."""
    return isinstance(value, dict) and len(value) == 1 and SECRET_KEY in value


def _read(reference: str, environ: Mapping[str, str]) -> str:
    scheme, _, target = reference.partition(":")
    if scheme == "env" and target:
        if target not in environ:
            raise LookupError(f"environment variable {target} is not set")
        return environ[target]
    if scheme == "file" and target.startswith("/"):
        try:
            with open(target, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as exc:
            raise LookupError(f"cannot read {target}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise LookupError(f"{target} is not UTF-8 text") from None
        # Files written by `echo` or editors end in one newline that is not part of the secret.
        return text[:-2] if text.endswith("\r\n") else text[:-1] if text.endswith("\n") else text
    raise LookupError("a reference is 'env:NAME' or 'file:/absolute/path'")


class Secret:
    """A resolved secret.  Masked in ``repr``/``str``; ``reveal()`` returns the value."""

    __slots__ = ("_environ", "_lock", "_source", "_value", "path", "reference")

    def __init__(
        self,
        reference: str,
        path: str,
        *,
        value: str | None = None,
        environ: Mapping[str, str] | None = None,
        source: str = "",
    ) -> None:
        self.reference = reference
        self.path = path
        self._value = value
        self._environ = environ
        self._lock = threading.Lock()
        self._source = source

    def reveal(self) -> str:
        """The secret's value (resolved now if the config was loaded with lazy secrets)."""
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = resolve(self.reference, self.path, self._environ, self._source)
        return self._value

    @property
    def resolved(self) -> bool:
        return self._value is not None

    def __repr__(self) -> str:
        return f"Secret({self.reference!r}, {MASK})"

    def __str__(self) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other.reference == self.reference

    def __hash__(self) -> int:
        return hash(("amber.Secret", self.reference))

    # Shared, not copied: a Secret never changes once resolved, and copy/deepcopy must not
    # fall back to __reduce__, which refuses (so a config copy with secrets still works).
    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Secret:
        return self

    def __reduce__(self) -> Any:
        raise TypeError("a Secret cannot be pickled; pass the reference, not the value")


def resolve(reference: str, path: str, environ: Mapping[str, str] | None, source: str) -> str:
    try:
        return _read(reference, os.environ if environ is None else environ)
    except LookupError as exc:
        raise SecretError(
            f"secret {reference!r} cannot be resolved: {exc}", file=source, path=path
        ) from None


def mask_references(value: Any) -> Any:
    """A copy with every secret reference shown as ``<secret env:NAME>`` (for display)."""
    if is_reference(value):
        return f"<secret {value[SECRET_KEY]}>"
    if isinstance(value, dict):
        return {key: mask_references(item) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_references(item) for item in value]
    if isinstance(value, Secret):
        return f"<secret {value.reference}>"
    return value
