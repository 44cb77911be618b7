"""The incremental build cache: a compiled environment, reused while nothing it depends on changed.

An entry is found by a key over everything that is not a file evaluation reads: Amber's own code,
the Jsonnet engine and its version, the settings that change output, the environment, and the
schemas, rules and migrations involved.  The entry then lists every file evaluation read, with its
digest, and every path an import looked for and did not find; it is used only if each file still
has that digest and each absent path is still absent.  So a cache hit gives the same bytes as a
fresh build, and a change to any input, including a new file that shadows an import, rebuilds.

Entries live in ``$AMBER_CACHE_DIR``, else ``$XDG_CACHE_HOME/amber``, else ``~/.cache/amber``,
and are written atomically, so hook processes running at once never read half an entry.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from amber import canonical, versions
from amber.atomic import write_bytes
from amber.compiler.arguments import for_environment
from amber.compiler.build.facts import Facts, engine_version, version_of

FORMAT = 1  # bump when what an entry holds changes


def directory() -> Path:
    explicit = os.environ.get("AMBER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "amber"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of Amber's own code and data: a changed validator must not reuse old results."""
    package = Path(__file__).parents[2]  # the whole of amber, not this room
    files = {
        path.relative_to(package).as_posix(): canonical.sha256_tag(path.read_bytes())
        for path in sorted(package.rglob("*"))
        if path.suffix in (".py", ".libsonnet", ".json") and "__pycache__" not in path.parts
    }
    return canonical.content_hash(files)


def key(facts: Facts, env: str, entry: str) -> str:
    """Everything an environment's compilation depends on, apart from the files it reads."""
    settings = facts.settings
    parts = {
        "format": FORMAT,
        "amber": [facts.compiler, code_digest()],
        "engine": [settings.engine, engine_version(settings.engine)],
        "validator": [version_of("jsonschema"), version_of("referencing")],
        "settings": settings.output_key(),
        "allow_credentials": sorted(settings.allow_credentials),
        "environment": [env, entry],
        "arguments": for_environment(settings, env).to_json(),
        "schemas": {versions.text(v): d for v, (_, d) in facts.schema_files.items()},
        "current": versions.text(facts.current),
        "targets": [versions.text(v) for v in facts.targets],
        "rules": facts.rules_digest,
        "migrations": facts.migrations_digest,
        "locks": facts.locks_digest,
    }
    return canonical.content_hash(parts).removeprefix("sha256:")


class Files:
    """Digests of the files cache entries depend on, each read at most once per build."""

    def __init__(self, digest: Callable[[str], str | None]) -> None:
        self._digest = digest  # virtual path -> digest of what evaluation would read, or None
        self._digests: dict[str, str | None] = {}

    def digest(self, virtual: str) -> str | None:
        if virtual not in self._digests:
            self._digests[virtual] = self._digest(virtual)
        return self._digests[virtual]

    def unchanged(self, inputs: dict[str, str], absent: list[str]) -> bool:
        return all(self.digest(path) == digest for path, digest in inputs.items()) and all(
            self.digest(path) is None for path in absent
        )


def lookup(entry_key: str, files: Files) -> Any:
    """The payload cached under ``entry_key`` if every input it depends on is as it was."""
    try:
        record = json.loads((directory() / f"{entry_key}.json").read_bytes())
        inputs, absent, payload = record["inputs"], record["absent"], record["payload"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if record.get("format") != FORMAT or not files.unchanged(inputs, absent):
        return None
    return payload


def save(entry_key: str, inputs: dict[str, str], absent: list[str], payload: Any) -> None:
    """Cache ``payload``, valid while ``inputs`` keep their digests and ``absent`` stays absent."""
    record = {"format": FORMAT, "inputs": inputs, "absent": absent, "payload": payload}
    data = canonical.dump_bytes(record)
    with contextlib.suppress(OSError):  # a cache that cannot be written is a slower build
        write_bytes(directory() / f"{entry_key}.json", data)
