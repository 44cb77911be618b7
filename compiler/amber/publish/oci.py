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
from amber.publish.destination import Reference
from amber.publish.registry import MANIFEST, Registry, RegistryError
from amber.publish.verify import verify

ARTIFACT = "application/vnd.amber.config.v1+json"
FLAGD = "application/vnd.amber.flagd.v1+json"  # a flagd flag-definition file
EMPTY = "application/vnd.oci.empty.v1+json"
EMPTY_BLOB = b"{}"


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
) -> Pushed:
    """Push an artifact, or with ``flagd`` (the readers' bucketing generation) its flags as a
    flagd flag-definition file, tagged like the artifact with ``-flagd`` after."""
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
    digest = ""
    for tag in (tags[1], tags[0]):  # the kept tag first: a moving tag never names a loose manifest
        digest = registry.put_manifest(reference.repository, tag, manifest)
    return Pushed(config.environment, tags, digest)


def fetch(reference: Reference, insecure: bool = False) -> tuple[bytes, str]:
    """The artifact a reference names, verified: (bytes, manifest digest)."""
    if reference.tag is None and reference.digest is None:
        raise UsageError("say which artifact: oci://HOST/REPO:TAG or oci://HOST/REPO@sha256:...")
    registry = Registry(reference.host, insecure)
    name = reference.digest or reference.tag
    assert name is not None
    manifest_bytes, digest = registry.get_manifest(reference.repository, name)
    if reference.digest is not None and digest != reference.digest:
        raise RegistryError(f"manifest digest {digest} is not the {reference.digest} asked for")
    try:
        manifest = json.loads(manifest_bytes)
        (layer,) = [x for x in manifest["layers"] if x.get("mediaType") == ARTIFACT]
    except (ValueError, KeyError, TypeError):
        raise RegistryError(
            f"{reference.host}/{reference.repository}@{digest} is not an amber artifact"
        ) from None
    data = registry.get_blob(reference.repository, layer["digest"])
    verify(data, f"oci://{reference.host}/{reference.repository}@{digest}", "refusing to pull")
    return data, digest


def retag(reference: Reference, tag: str, source_tag: str, insecure: bool = False) -> str:
    """Point ``tag`` at the manifest ``source_tag`` names (a rollback)."""
    registry = Registry(reference.host, insecure)
    manifest, _ = registry.get_manifest(reference.repository, source_tag)
    return registry.put_manifest(reference.repository, tag, manifest)


def kept_tags(reference: Reference, moving_tag: str, insecure: bool = False) -> list[str]:
    return [
        t
        for t in Registry(reference.host, insecure).tags(reference.repository)
        if t.startswith(moving_tag + "-")
    ]


def rollback(
    reference: Reference, environment: str, pointer: str, to_hash: str, insecure: bool = False
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
    return kept[0], retag(reference, moving, kept[0], insecure)
