"""Amber: compiled, validated, versioned config for Python apps.

The runtime, which every app imports, is this package's standard-library-only part::

    import amber
    cfg = amber.load("dist/prod.json", expect="1.2")
    cfg["interleaving"]["max_session_size"]
    cfg.flag("adaptive_learning", {"targetingKey": "user123"}, default=False)

The compiler (``amber build``) needs the ``compiler`` extra and is never imported from here.
"""

from __future__ import annotations

from amber.errors import (
    AmberError,
    IntegrityError,
    LoadError,
    SecretError,
    SignatureError,
    VersionError,
)
from amber.runtime.config import Config
from amber.runtime.load import load
from amber.runtime.secrets import Secret
from amber.runtime.typed_watch import TypedWatcher
from amber.runtime.views import FrozenDict
from amber.runtime.watch import Watcher, watch

__all__ = [
    "AmberError",
    "Config",
    "FrozenDict",
    "IntegrityError",
    "LoadError",
    "Secret",
    "SecretError",
    "SignatureError",
    "TypedWatcher",
    "VersionError",
    "Watcher",
    "load",
    "watch",
]
