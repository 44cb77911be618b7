"""``amber.load``: open a compiled artifact, verify it, and serve it read-only.

The file is read once into an immutable snapshot, not memory-mapped: verifying and lazily
parsing a live mapping would let a file rewritten in place (``cp`` over it) feed the app bytes
that were never verified, and a file truncated in place kills a mapping process with SIGBUS.
The copy costs about 0.1 ms per MB (``python -m bench``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from amber.runtime.config import Config, SecretsMode
from amber.runtime.envelope import read_bytes


def load(
    path: str | os.PathLike[str],
    expect: str | None = None,
    *,
    secrets: SecretsMode = "eager",
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Load and verify an artifact.

    ``expect="1.2"`` accepts schema versions 1.2.x and later 1.x.  Secret references are
    resolved now (``secrets="lazy"``: on first ``reveal()``).  Raises :class:`LoadError`.
    """
    source = os.fspath(path)
    return Config(read_bytes(source), source, secrets=secrets, environ=environ, expect=expect)
