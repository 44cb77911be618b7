"""Artifacts in an OCI registry: the one that already serves a fleet's container images.

Each artifact is an OCI artifact of its own type (``application/vnd.amber.config.v1+json``):
an empty config blob, one layer holding the artifact's bytes, and annotations for the
environment, schema version, content hash and source commit.  It is tagged
``<env>-<major>.<minor>`` (the tag apps pull, moved by each publish) and
``<env>-<major>.<minor>-<content hash prefix>`` (kept, so a rollback can name it), and can be
pulled by digest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from amber import canonical, versions
from amber.canonical import sha256_tag
from amber.compiler.environments import check_name
from amber.compiler.export.flagd import flagd_bytes
from amber.errors import UsageError
from amber.publish import oci_signatures
from amber.publish.oci_signatures import EMPTY, EMPTY_BLOB
from amber.publish.signing import Signer
from amber.publish.verify import verify
from amber.runtime import signatures
from amber.runtime.load import verified_config
from amber.runtime.oci_source import ARTIFACT, artifact_at, signature_of
from amber.runtime.registry import MANIFEST, Reference, Registry

FLAGD = "application/vnd.amber.flagd.v1+json"  # a flagd flag-definition file


# --- what Amber does with it --------------------------------------------------------------


@dataclass(frozen=True)
class Pushed:
    environment: str
    tags: tuple[str, ...]
    digest: str  # the manifest's


def manifest_for(
    data: bytes, layer_digest: str, name: str, annotations: dict[str, str], kind: str = ARTIFACT
) -> bytes:
    manifest = {
        "schemaVersion": 2,
        "mediaType": MANIFEST,
        "artifactType": kind,
        "config": {"mediaType": EMPTY, "digest": sha256_tag(EMPTY_BLOB), "size": len(EMPTY_BLOB)},
        "layers": [
            {
                "mediaType": kind,
                "digest": layer_digest,
                "size": len(data),
                "annotations": {"org.opencontainers.image.title": name},
            }
        ],
        "annotations": annotations,
    }
    return canonical.dump_bytes(manifest)  # stable bytes: the same artifact, the same digest


def tags_for(environment: str, schema_version: str, content_hash: str) -> tuple[str, str]:
    pointer = versions.major_minor(schema_version)
    return f"{environment}-{pointer}", f"{environment}-{pointer}-{content_hash[7:19]}"


def push(
    reference: Reference,
    data: bytes,
    source: str,
    insecure: bool = False,
    *,
    flagd: str | None = None,
    signer: Signer | None = None,
) -> Pushed:
    """Push an artifact, or with ``flagd`` (the readers' bucketing generation) its flags as a
    flagd flag-definition file, tagged like the artifact with ``-flagd`` after.  With
    ``signer``, the artifact's signature is attached before the moving tag moves to it."""
    config = verify(data, source)
    check_name(config.environment, file=source, doing="refusing to push")
    registry = Registry(reference.host, insecure)
    git = config.provenance.get("git")
    title, kind, payload, suffix = Path(source).name, ARTIFACT, data, ""
    if flagd is not None:
        title, kind, suffix = f"{config.environment}.flagd.json", FLAGD, "-flagd"
        payload = flagd_bytes(json.loads(data), flagd, source)
    annotations = {
        "dev.amber.environment": config.environment,
        "dev.amber.schema-version": config.schema_version,
        "dev.amber.content-hash": config.content_hash,
        "org.opencontainers.image.title": title,
    }
    if isinstance(git, dict) and git.get("commit"):
        annotations["org.opencontainers.image.revision"] = str(git["commit"])
    registry.push_blob(reference.repository, EMPTY_BLOB)
    layer = registry.push_blob(reference.repository, payload)
    manifest = manifest_for(payload, layer, title, annotations, kind)
    moving, kept = tags_for(config.environment, config.schema_version, config.content_hash)
    tags = (moving + suffix, kept + suffix)
    # The kept tag first, then the signature: a moving tag never names a loose manifest, nor
    # (when signing) an unsigned one.
    digest = registry.put_manifest(reference.repository, tags[1], manifest)
    if signer is not None and flagd is None:
        sequence = oci_signatures.next_sequence(registry, reference.repository, config.environment)
        envelope = signer.envelope(data, config, sequence)
        oci_signatures.attach(registry, reference.repository, manifest, envelope)
    digest = registry.put_manifest(reference.repository, tags[0], manifest)
    return Pushed(config.environment, tags, digest)


def fetch(
    reference: Reference,
    insecure: bool = False,
    trust: signatures.Trust | None = None,
) -> tuple[bytes, str, bytes | None]:
    """The artifact a reference names, verified (with ``trust``, its signature too):
    (bytes, manifest digest, signature envelope or None)."""
    if reference.tag is None and reference.digest is None:
        raise UsageError("say which artifact: oci://HOST/REPO:TAG or oci://HOST/REPO@sha256:...")
    registry = Registry(reference.host, insecure)
    data, digest = artifact_at(registry, reference)
    where = f"oci://{reference.host}/{reference.repository}@{digest}"
    if trust is None:
        verify(data, where, "refusing to pull")
        return data, digest, None
    envelope = signature_of(registry, reference.repository, digest)
    keys = signatures.trusted_keys(trust)
    wanted = signatures.tag_environment(reference.tag)
    verified_config(data, envelope, keys, where, secrets="lazy", environment=wanted)
    return data, digest, envelope


def retag(
    reference: Reference,
    tag: str,
    source_tag: str,
    insecure: bool = False,
    signer: Signer | None = None,
) -> str:
    """Point ``tag`` at the manifest ``source_tag`` names (a rollback), signed again under a
    new sequence first when ``signer`` is given."""
    registry = Registry(reference.host, insecure)
    manifest, _ = registry.get_manifest(reference.repository, source_tag)
    if signer is not None:
        data, _ = artifact_at(registry, Reference(reference.host, reference.repository, source_tag))
        config = verify(data, source_tag, "refusing to roll back to")
        sequence = oci_signatures.next_sequence(registry, reference.repository, config.environment)
        envelope = signer.envelope(data, config, sequence)
        oci_signatures.attach(registry, reference.repository, manifest, envelope)
    return registry.put_manifest(reference.repository, tag, manifest)


def kept_tags(reference: Reference, moving_tag: str, insecure: bool = False) -> list[str]:
    return [
        t
        for t in Registry(reference.host, insecure).tags(reference.repository)
        if t.startswith(moving_tag + "-")
    ]


def rollback(
    reference: Reference,
    environment: str,
    pointer: str,
    to_hash: str,
    insecure: bool = False,
    signer: Signer | None = None,
) -> tuple[str, str]:
    """Move ``<env>-<pointer>`` back to the kept tag of the artifact ``to_hash`` names (its
    content hash, or a prefix): (the kept tag, the manifest digest)."""
    moving = f"{check_name(environment)}-{pointer}"
    wanted = to_hash.removeprefix("sha256:")[:12]
    kept = [
        t
        for t in kept_tags(reference, moving, insecure)
        if t.removeprefix(moving + "-").startswith(wanted)
    ]
    if len(kept) != 1:
        raise UsageError(f"{'no' if not kept else 'several'} kept tags of {moving} match {to_hash}")
    return kept[0], retag(reference, moving, kept[0], insecure, signer)
