"""What compiling one environment gives: a cacheable record, and the artifacts made from it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any

from amber import canonical
from amber.compiler import artifact
from amber.errors import Diagnostic

_NOT_CACHED = ("timeout", "crash", "memory", "security:credential")


@dataclass
class Compiled:
    """What compiling one environment found.  No build-time facts: it can be cached.

    Configs are kept in canonical form, keyed by schema version ("" for the current one),
    with the byte range of each top-level section and the paths of secret references.
    """

    env: str
    entry: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    spans: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    secrets: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)

    @property
    def cacheable(self) -> bool:
        # A timeout or a crash may say more about this machine (speed, memory) than the inputs;
        # a config that holds a credential must not be stored anywhere, the cache included.
        return not any(d.code in _NOT_CACHED for d in self.diagnostics)

    @property
    def config(self) -> dict[str, Any] | None:
        """The evaluated config of the current version (even if invalid), or None."""
        text = self.texts.get("")
        return None if text is None else dict(json.loads(text))

    def keep(self, version_key: str, config: dict[str, Any]) -> None:
        data, spans = canonical.dump_config(config)
        self.texts[version_key] = data.decode("utf-8")
        self.spans[version_key] = spans
        self.secrets[version_key] = artifact.secret_paths(config)

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["diagnostics"] = [d.to_json() for d in self.diagnostics]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Compiled:
        diagnostics = [Diagnostic.from_json(d) for d in data["diagnostics"]]
        return cls(**{**data, "diagnostics": diagnostics})


@dataclass
class Result:
    env: str
    entry: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # File name -> artifact bytes; empty when the environment has errors.
    outputs: dict[str, bytes] = field(default_factory=dict)
    compiled: Compiled | None = None
    cached: bool = False

    @property
    def config(self) -> dict[str, Any] | None:
        """The evaluated config (even if invalid), or None if evaluation failed."""
        return self.compiled.config if self.compiled is not None else None

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)
