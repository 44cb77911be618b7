"""``amber.load``: open a compiled artifact, verify it, and serve it read-only.

The file is read once into an immutable snapshot, not memory-mapped: verifying and lazily
parsing a live mapping would let a file rewritten in place (``cp`` over it) feed the app bytes
that were never verified, and a file truncated in place kills a mapping process with SIGBUS.
The copy costs about 0.1 ms per MB (``python -m bench``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from amber.runtime import signatures
from amber.runtime.config import Config, SecretsMode
from amber.runtime.envelope import read_bytes


def load(
    path: str | os.PathLike[str],
    expect: str | None = None,
    *,
    secrets: SecretsMode = "eager",
    environ: Mapping[str, str] | None = None,
    trust: signatures.Trust | None = None,
    environment: str | None = None,
) -> Config:
    """Load and verify an artifact.

    ``expect="1.2"`` accepts schema versions 1.2.x and later 1.x.  Secret references are
    resolved now (``secrets="lazy"``: on first ``reveal()``).  With ``trust`` (a ``.pub`` file
    or several), the artifact must carry a signature by one of those keys, for its environment
    and over its bytes (``<file>.sig``).  ``environment``: the one the app serves; read from a
    store pointer (``DIR/<env>/<M.m>``) when not given.  Raises :class:`LoadError`.
    """
    source = os.fspath(path)
    data = read_bytes(source)
    if trust is None:
        return Config(
            data, source, secrets=secrets, environ=environ, expect=expect, environment=environment
        )
    keys = signatures.trusted_keys(trust)
    wanted = environment or signatures.pointer_environment(source)
    return verified_config(
        data, signatures.read_signature(source), keys, source, secrets, environ, expect, wanted
    )


def verified_config(
    data: bytes,
    envelope: bytes | None,
    keys: dict[str, object],
    source: str,
    secrets: SecretsMode = "eager",
    environ: Mapping[str, str] | None = None,
    expect: str | None = None,
    environment: str | None = None,
) -> Config:
    """A config whose signature verified first: an attack is reported as one, before any
    version or secret problem.  ``environment``: the one the app asked for, if it says."""
    statement = signatures.verify(data, envelope, keys, source)
    signatures.check_location(statement, environment, source)

    def about_this(config: Config) -> None:
        signatures.check_statement(statement, config.environment, config.content_hash, source)

    config = Config(
        data, source, secrets=secrets, environ=environ, expect=expect, before_secrets=about_this
    )
    config.signed = statement
    return config
