"""Signatures in a registry: attach a DSSE envelope to an artifact's manifest, and number the
next one.

The signature is an OCI artifact of its own: an empty config, one layer holding the envelope
(``application/vnd.dsse.envelope.v1+json``, annotated with the statement's predicate type),
``subject`` naming the artifact's manifest (so a registry with the referrers API lists it),
tagged ``sha256-<manifest hex>.att`` (where cosign looks for an attestation, and what a
registry without the referrers API, like distribution 2.8, can serve).
"""

from __future__ import annotations

import json
import re

from amber import canonical
from amber.canonical import sha256_tag
from amber.runtime.oci_source import signature_tag
from amber.runtime.registry import MANIFEST, Registry, RegistryError
from amber.runtime.signatures import ENVELOPE_MEDIA_TYPE, PREDICATE_TYPE, read_unverified

EMPTY = "application/vnd.oci.empty.v1+json"
EMPTY_BLOB = b"{}"
_SIGNATURE_TAG = re.compile(r"sha256-[0-9a-f]{64}\.att")


def attach(registry: Registry, repository: str, subject: bytes, envelope: bytes) -> str:
    """Push ``envelope`` as the signature of the manifest ``subject``; its tag."""
    registry.push_blob(repository, EMPTY_BLOB)
    layer = registry.push_blob(repository, envelope)
    manifest = {
        "schemaVersion": 2,
        "mediaType": MANIFEST,
        "artifactType": ENVELOPE_MEDIA_TYPE,
        "config": {"mediaType": EMPTY, "digest": sha256_tag(EMPTY_BLOB), "size": len(EMPTY_BLOB)},
        "layers": [
            {
                "mediaType": ENVELOPE_MEDIA_TYPE,
                "digest": layer,
                "size": len(envelope),
                "annotations": {"predicateType": PREDICATE_TYPE},
            }
        ],
        "subject": {"mediaType": MANIFEST, "digest": sha256_tag(subject), "size": len(subject)},
    }
    tag = signature_tag(sha256_tag(subject))
    registry.put_manifest(repository, tag, canonical.dump_bytes(manifest))
    return tag


def next_sequence(registry: Registry, repository: str, environment: str) -> int:
    """One above every sequence ever signed for ``environment`` in the repository.

    Every signature is read, not only those the tags serve now: after a replay a moving tag
    shows an old number, and reusing a number would make the next publish look like one.
    A publish reads a few hundred bytes per earlier publish.
    """
    highest = 0
    for tag in registry.tags(repository):
        if not _SIGNATURE_TAG.fullmatch(tag):
            continue
        try:
            manifest, _ = registry.get_manifest(repository, tag)
            envelope = _envelope(registry, repository, manifest)
        except RegistryError:
            continue
        statement = read_unverified(envelope) if envelope is not None else None
        if statement is not None and statement.environment == environment:
            highest = max(highest, statement.sequence)
    return highest + 1


def _envelope(registry: Registry, repository: str, manifest: bytes) -> bytes | None:
    try:
        layer = json.loads(manifest)["layers"][0]
        return registry.get_blob(repository, str(layer["digest"]), int(layer["size"]))
    except (ValueError, KeyError, TypeError, IndexError):
        return None
