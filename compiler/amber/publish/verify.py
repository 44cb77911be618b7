"""What is published is what the runtime would load: a bad artifact never leaves the build."""

from __future__ import annotations

from amber.compiler import artifact
from amber.errors import LoadError
from amber.runtime.config import Config


def verify(data: bytes, source: str, doing: str = "refusing to publish") -> Config:
    """The artifact as the runtime sees it; refuses anything the runtime would refuse."""
    try:
        return artifact.verified(data, source)
    except LoadError as exc:
        raise type(exc)(f"{doing}: {exc.message}", file=source) from None
