"""Artifacts as Kubernetes objects: a ConfigMap that Argo CD or Flux syncs to a cluster."""

from __future__ import annotations

import re
from typing import Any

from amber.errors import UsageError

_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_LABEL_VALUE = re.compile(r"([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?")


def configmap(
    artifact: dict[str, Any], data: bytes, name: str | None, namespace: str | None
) -> dict[str, Any]:
    """A ConfigMap holding the artifact's exact bytes under ``<env>.json``.

    Labels (at most 63 characters each) carry the environment, the schema version and the
    first 12 hex digits of the content hash; the full hash is an annotation.  Mount it and
    load ``/etc/config/<env>.json`` with ``amber.watch``: the kubelet's ``..data`` swap is seen.
    """
    env = artifact["environment"]
    name = name or f"{env}-config".lower()
    if len(name) > 253 or not all(_DNS_LABEL.fullmatch(p) for p in name.split(".")):
        raise UsageError(f"{name!r} is not a valid ConfigMap name (lowercase letters, digits, '-')")
    if namespace is not None and (len(namespace) > 63 or not _DNS_LABEL.fullmatch(namespace)):
        raise UsageError(f"{namespace!r} is not a valid namespace")
    labels = {
        "app.kubernetes.io/managed-by": "amber",
        "amber.dev/environment": env,
        "amber.dev/schema-version": artifact["schema_version"],
        "amber.dev/content-hash": artifact["content_hash"].removeprefix("sha256:")[:12],
    }
    for key, value in labels.items():
        if len(value) > 63 or not _LABEL_VALUE.fullmatch(value):
            raise UsageError(f"label {key}={value!r} is not a valid Kubernetes label value")
    metadata: dict[str, Any] = {
        "name": name,
        "labels": labels,
        "annotations": {"amber.dev/content-hash": artifact["content_hash"]},
    }
    if namespace is not None:
        metadata["namespace"] = namespace
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": metadata,
        "data": {f"{env}.json": data.decode("utf-8")},
    }
