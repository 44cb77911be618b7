"""Amber's exceptions and diagnostics.

One small hierarchy: every expected failure is an ``AmberError`` that knows the file, the
environment and the JSON path it concerns.  The CLI turns them into exit codes in one place.
Standard library only: the runtime imports this module.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

Severity = Literal["error", "warning"]


class Diagnostic(NamedTuple):
    """One problem found in a config repository, printable as one line.

    A NamedTuple rather than a dataclass: the runtime imports this module, and dataclasses
    (with inspect) would be a third of its import time.
    """

    message: str
    file: str = ""
    line: int | None = None
    col: int | None = None
    severity: Severity = "error"
    env: str = ""
    path: str = ""
    code: str = ""

    def location(self) -> str:
        loc = self.file or "amber"
        if self.line is not None:
            loc += f":{self.line}"
            if self.col is not None:
                loc += f":{self.col}"
        return loc

    def render(self) -> str:
        """``path[:line[:col]]: error|warning: <env> <json.path>: message [code]``."""
        subject = " ".join(part for part in (self.env, self.path) if part)
        text = f"{self.location()}: {self.severity}: "
        if subject:
            text += f"{subject}: "
        text += self.message
        if self.code:
            text += f" [{self.code}]"
        return text

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = self._asdict()
        data["environment"] = data.pop("env")
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Diagnostic:
        fields = {key: value for key, value in data.items() if key != "environment"}
        return cls(**fields, env=data["environment"])


class AmberError(Exception):
    """Base of every error Amber raises on purpose.  ``exit_code`` is what the CLI exits with."""

    exit_code = 2

    def __init__(self, message: str, *, file: str = "", path: str = "", env: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.path = path
        self.env = env

    def __str__(self) -> str:
        prefix = f"{self.file}: " if self.file else ""
        subject = " ".join(part for part in (self.env, self.path) if part)
        if subject:
            prefix += f"{subject}: "
        return prefix + self.message

    def diagnostics(self) -> list[Diagnostic]:
        return [Diagnostic(self.message, file=self.file, env=self.env, path=self.path)]


class LoadError(AmberError):
    """An artifact cannot be loaded: missing, truncated, corrupt, wrong version, bad secret.

    The runtime raises only this type (and its subclasses) for a bad artifact.
    """

    exit_code = 1


class IntegrityError(LoadError):
    """The bytes are not a whole, untampered artifact (truncated, bad JSON, hash mismatch)."""


class VersionError(LoadError):
    """The artifact's format or schema version is not the one the app expects."""


class SecretError(LoadError):
    """A secret reference could not be resolved."""


class SignatureError(LoadError):
    """With ``trust=``: the signature is missing, by an untrusted key, for another environment,
    over other bytes, or older than the config already served."""


class UsageError(AmberError):
    """Bad arguments, settings or environment: exit code 2, like a usage error."""

    exit_code = 2


class ConfigError(AmberError):
    """The configuration is invalid; carries every problem found."""

    exit_code = 1

    def __init__(self, problems: list[Diagnostic], exit_code: int = 1) -> None:
        errors = [p for p in problems if p.severity == "error"]
        first = errors[0] if errors else problems[0]
        super().__init__(first.message, file=first.file, path=first.path, env=first.env)
        self.problems = problems
        # `amber diff` exits 1 for "different": an input that does not compile is its 2.
        self.exit_code = exit_code

    def __str__(self) -> str:
        return "\n".join(p.render() for p in self.problems)

    def diagnostics(self) -> list[Diagnostic]:
        return list(self.problems)
