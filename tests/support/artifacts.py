"""Artifacts as only a hand (or another producer) would make them: edited, then resealed."""

from __future__ import annotations

import hashlib

from amber.runtime.envelope import SEAL_LENGTH, seal


def reseal(data: bytes) -> bytes:
    """An edited artifact with its seal made to match again: what gets past the seal is then
    up to the checks behind it."""
    return seal(data[:-SEAL_LENGTH] + b"}")


def hand_made(config: bytes, environment: str = "prod", version: str = "1.2.0") -> bytes:
    """A sealed artifact around config bytes Amber would never write, with a matching hash."""
    digest = "sha256:" + hashlib.sha256(config).hexdigest()
    return seal(
        b'{"amber":2,"config":' + config + b',"content_hash":"' + digest.encode() + b'",'
        b'"environment":"' + environment.encode() + b'","provenance":{},'
        b'"schema_version":"' + version.encode() + b'"}'
    )
