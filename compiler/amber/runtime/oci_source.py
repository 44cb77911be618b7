"""Artifacts in an OCI registry, as apps read them: the artifact a tag names, its signature,
and a source a watcher polls (manifest digest first, the blob only when it changed).

Standard library only, through ``amber.runtime.registry``.  The signature of an artifact is a
DSSE envelope in an OCI artifact tagged ``sha256-<manifest hex>.att`` (cosign's tag for an
attestation), whose manifest also names the artifact as its ``subject`` for registries with
the referrers API.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from amber.errors import LoadError, SignatureError
from amber.runtime.registry import Reference, Registry, RegistryError
from amber.runtime.signatures import ENVELOPE_MEDIA_TYPE, MAX_ENVELOPE

ARTIFACT = "application/vnd.amber.config.v1+json"


def signature_tag(manifest_digest: str) -> str:
    return f"sha256-{manifest_digest.removeprefix('sha256:')}.att"


def _layer(manifest_bytes: bytes, media_type: str, where: str) -> dict[str, object]:
    try:
        manifest = json.loads(manifest_bytes)
        (layer,) = [x for x in manifest["layers"] if x.get("mediaType") == media_type]
        if not isinstance(layer.get("digest"), str):
            raise ValueError("digest")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise RegistryError(f"{where} is not an amber artifact ({media_type})") from None
    return dict(layer)


def artifact_at(registry: Registry, reference: Reference) -> tuple[bytes, str]:
    """The artifact bytes a tag or digest names, and its manifest's digest (not yet verified)."""
    name = reference.digest or reference.tag
    if name is None:
        raise RegistryError("say which artifact: oci://HOST/REPO:TAG or oci://HOST/REPO@sha256:...")
    manifest, digest = registry.get_manifest(reference.repository, name)
    if reference.digest is not None and digest != reference.digest:
        raise RegistryError(f"manifest digest {digest} is not the {reference.digest} asked for")
    where = f"oci://{reference.host}/{reference.repository}@{digest}"
    layer = _layer(manifest, ARTIFACT, where)
    size = layer.get("size")
    data = registry.get_blob(
        reference.repository, str(layer["digest"]), size if isinstance(size, int) else None
    )
    return data, digest


def signature_of(registry: Registry, repository: str, manifest_digest: str) -> bytes | None:
    """The DSSE envelope attached to an artifact's manifest, or None if it has none."""
    try:
        manifest, _ = registry.get_manifest(repository, signature_tag(manifest_digest))
    except RegistryError as exc:
        if "does not exist" in exc.message:
            return None
        raise
    layer = _layer(manifest, ENVELOPE_MEDIA_TYPE, signature_tag(manifest_digest))
    size = layer.get("size")
    if not isinstance(size, int) or size > MAX_ENVELOPE:
        raise RegistryError(f"{signature_tag(manifest_digest)}: not a signature envelope")
    return registry.get_blob(repository, str(layer["digest"]), size)


@dataclass
class Fetched:
    data: bytes
    signature: bytes | None
    manifest_digest: str
    signature_digest: str = ""  # of the signature's manifest: a rollback signs anew


class RegistrySource:
    """What a watcher polls: one tag of one repository.  Holds the last answer, so a poll that
    finds the same manifest digests (the artifact's, and its signature's) costs one small
    request each."""

    def __init__(self, reference: Reference, insecure: bool = False, signed: bool = False):
        if reference.tag is None and reference.digest is None:
            raise ValueError(f"{reference}: say which tag to follow (oci://HOST/REPO:TAG)")
        self.reference = reference
        self.registry = Registry(reference.host, insecure)
        self.signed = signed
        self._last: Fetched | None = None

    def read(self) -> Fetched:
        """The artifact (and signature) the tag names now; LoadError when the registry fails."""
        try:
            name = self.reference.digest or self.reference.tag
            assert name is not None
            repository = self.reference.repository
            digest = self.registry.manifest_digest(repository, name)
            signed = self._signature_digest(digest)
            if self.signed and not signed:  # refused before a blob of any size is fetched
                raise SignatureError(
                    f"not signed: no {signature_tag(digest)} tag beside {name}",
                    file=str(self.reference),
                )
            last = self._last
            if last is not None and (last.manifest_digest, last.signature_digest) == (
                digest,
                signed,
            ):
                return last
            if last is not None and last.manifest_digest == digest:
                data = last.data
            else:
                data, digest = artifact_at(self.registry, self.reference)
            signature = signature_of(self.registry, repository, digest) if signed else None
        except RegistryError as exc:
            raise LoadError(exc.message, file=str(self.reference)) from None
        self._last = Fetched(data, signature, digest, signed)
        return self._last

    def _signature_digest(self, manifest_digest: str) -> str:
        """The digest of the signature's manifest, "" when unsigned or not asked for."""
        if not self.signed:
            return ""
        try:
            return self.registry.manifest_digest(
                self.reference.repository, signature_tag(manifest_digest)
            )
        except RegistryError as exc:
            if "does not exist" in exc.message:
                return ""
            raise
