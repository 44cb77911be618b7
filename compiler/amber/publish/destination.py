"""Where ``--to`` publishes: a directory store, or an OCI repository (``oci://HOST/REPO``).

The one place a destination is parsed: commands dispatch on the type it returns.
"""

from __future__ import annotations

from pathlib import Path

from amber.runtime.registry import Reference


def parse(text: str) -> Path | Reference:
    """A directory store's path, or the OCI reference of ``oci://...``."""
    if text.startswith("oci://"):
        return Reference.parse(text)
    return Path(text)
