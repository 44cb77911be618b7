"""Artifacts in an OCI registry: the one that already serves a fleet's container images.

Each artifact is an OCI artifact of its own type (``application/vnd.amber.config.v1+json``):
an empty config blob, one layer holding the artifact's bytes, and annotations for the
environment, schema version, content hash and source commit.  It is tagged
``<env>-<major>.<minor>`` (the tag apps pull, moved by each publish) and
``<env>-<major>.<minor>-<content hash prefix>`` (kept, so a rollback can name it), and can be
pulled by digest.

The OCI distribution API is spoken directly with urllib: a push is four requests, a pull two,
and owning the manifest bytes keeps its digest stable (a registry client library would add a
dependency tree larger than Amber to save about a hundred lines).  Registries on a loopback
address are spoken to over plain HTTP, as Docker does; others over HTTPS unless ``insecure``.
Credentials come from ``AMBER_REGISTRY_USERNAME``/``AMBER_REGISTRY_PASSWORD`` or the docker
config (``~/.docker/config.json``, ``$DOCKER_CONFIG``), for Basic and Bearer-token registries.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from amber import canonical
from amber.errors import AmberError, UsageError
from amber.store import pointer_name, verify

MANIFEST = "application/vnd.oci.image.manifest.v1+json"
ARTIFACT = "application/vnd.amber.config.v1+json"
EMPTY = "application/vnd.oci.empty.v1+json"
EMPTY_BLOB = b"{}"

_REFERENCE = re.compile(
    r"oci://(?P<host>[^/]+)/(?P<repo>[a-z0-9]+(?:[._/-][a-z0-9]+)*)"
    r"(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?P<digest>sha256:[0-9a-f]{64}))?"
)


class RegistryError(AmberError):
    """The registry refused or failed a request."""

    exit_code = 2


@dataclass(frozen=True)
class Reference:
    host: str
    repository: str
    tag: str | None = None
    digest: str | None = None

    @classmethod
    def parse(cls, text: str) -> Reference:
        matched = _REFERENCE.fullmatch(text)
        if not matched:
            raise UsageError(f"{text!r} is not oci://HOST[:PORT]/REPOSITORY[:TAG][@sha256:DIGEST]")
        return cls(matched["host"], matched["repo"], matched["tag"], matched["digest"])


def is_loopback(host: str) -> bool:
    """``localhost:5000``, ``127.0.0.1:5000``, ``[::1]:5000``: spoken to over plain HTTP."""
    name = host[1:].split("]")[0] if host.startswith("[") else host.split(":")[0]
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _docker_auth(host: str) -> tuple[str, str] | None:
    config_dir = os.environ.get("DOCKER_CONFIG") or os.path.join(os.path.expanduser("~"), ".docker")
    try:
        auths = json.loads(Path(config_dir, "config.json").read_text()).get("auths", {})
    except (OSError, ValueError):
        return None
    for key in (host, f"https://{host}", f"http://{host}", f"https://{host}/v1/"):
        encoded = auths.get(key, {}).get("auth")
        if encoded:
            user, _, password = base64.b64decode(encoded).decode().partition(":")
            return user, password
    return None


def credentials(host: str) -> tuple[str, str] | None:
    user = os.environ.get("AMBER_REGISTRY_USERNAME")
    if user:
        return user, os.environ.get("AMBER_REGISTRY_PASSWORD", "")
    return _docker_auth(host)


def digest_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@dataclass
class Registry:
    """A small client for the OCI distribution API."""

    host: str
    insecure: bool = False
    _token: str | None = field(default=None, repr=False)

    @property
    def base(self) -> str:
        scheme = "http" if self.insecure or is_loopback(self.host) else "https"
        return f"{scheme}://{self.host}"

    def _request(
        self,
        method: str,
        url: str,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        scope: str = "",
    ) -> tuple[int, dict[str, str], bytes]:
        headers = dict(headers or {})
        for attempt in range(2):
            if self._token:
                headers["Authorization"] = self._token
            request = urllib.request.Request(url, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return response.status, dict(response.headers), response.read()
            except urllib.error.HTTPError as exc:
                body = exc.read()
                if exc.code == 401 and attempt == 0:
                    self._authenticate(exc.headers.get("WWW-Authenticate", ""), scope)
                    continue
                return exc.code, dict(exc.headers), body
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                raise RegistryError(f"cannot reach the registry at {self.base}: {reason}") from None
        raise RegistryError(f"{self.host}: authentication failed (check the credentials)")

    def _authenticate(self, challenge: str, scope: str) -> None:
        creds = credentials(self.host)
        if challenge.lower().startswith("basic"):
            if creds is None:
                raise RegistryError(
                    f"{self.host} wants credentials: set AMBER_REGISTRY_USERNAME "
                    "and AMBER_REGISTRY_PASSWORD, or docker login"
                )
            token = base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode()
            self._token = f"Basic {token}"
            return
        params = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
        realm = params.pop("realm", None)
        if realm is None:
            raise RegistryError(f"{self.host}: unsupported authentication {challenge!r}")
        if scope and "scope" not in params:
            params["scope"] = scope
        headers = {}
        if creds is not None:
            basic = base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode()
            headers["Authorization"] = f"Basic {basic}"
        url = f"{realm}?{urllib.parse.urlencode(params)}"
        try:
            with urllib.request.urlopen(
                urllib.request.Request(url, headers=headers), timeout=30
            ) as response:
                answer = json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise RegistryError(f"{self.host}: token request failed: {exc}") from None
        self._token = f"Bearer {answer.get('token') or answer.get('access_token')}"

    def _fail(self, what: str, status: int, body: bytes) -> RegistryError:
        detail = body.decode(errors="replace").strip()[:300]
        return RegistryError(f"{self.host}: {what} failed with HTTP {status}: {detail}")

    # --- blobs and manifests -------------------------------------------------------------

    def push_blob(self, repository: str, data: bytes) -> str:
        digest = digest_of(data)
        scope = f"repository:{repository}:pull,push"
        status, _, _ = self._request(
            "HEAD", f"{self.base}/v2/{repository}/blobs/{digest}", scope=scope
        )
        if status == 200:
            return digest  # already there
        status, headers, body = self._request(
            "POST", f"{self.base}/v2/{repository}/blobs/uploads/", data=b"", scope=scope
        )
        if status != 202:
            raise self._fail("starting a blob upload", status, body)
        location = urllib.parse.urljoin(self.base, headers.get("Location", ""))
        separator = "&" if "?" in location else "?"
        status, _, body = self._request(
            "PUT",
            f"{location}{separator}digest={digest}",
            data=data,
            headers={"Content-Type": "application/octet-stream"},
            scope=scope,
        )
        if status != 201:
            raise self._fail("uploading a blob", status, body)
        return digest

    def put_manifest(self, repository: str, reference: str, manifest: bytes) -> str:
        status, headers, body = self._request(
            "PUT",
            f"{self.base}/v2/{repository}/manifests/{reference}",
            data=manifest,
            headers={"Content-Type": MANIFEST},
            scope=f"repository:{repository}:pull,push",
        )
        if status != 201:
            raise self._fail(f"pushing the manifest {reference}", status, body)
        return headers.get("Docker-Content-Digest") or digest_of(manifest)

    def get_manifest(self, repository: str, reference: str) -> tuple[bytes, str]:
        status, _, body = self._request(
            "GET",
            f"{self.base}/v2/{repository}/manifests/{reference}",
            headers={"Accept": MANIFEST},
            scope=f"repository:{repository}:pull",
        )
        if status == 404:
            raise RegistryError(f"{self.host}/{repository}:{reference} does not exist")
        if status != 200:
            raise self._fail(f"fetching the manifest {reference}", status, body)
        return body, digest_of(body)

    def get_blob(self, repository: str, digest: str) -> bytes:
        status, _, body = self._request(
            "GET",
            f"{self.base}/v2/{repository}/blobs/{digest}",
            scope=f"repository:{repository}:pull",
        )
        if status != 200:
            raise self._fail(f"fetching the blob {digest}", status, body)
        if digest_of(body) != digest:
            raise RegistryError(f"{self.host}: blob {digest} does not match its digest")
        return body

    def tags(self, repository: str) -> list[str]:
        status, _, body = self._request(
            "GET", f"{self.base}/v2/{repository}/tags/list", scope=f"repository:{repository}:pull"
        )
        if status == 404:
            return []
        if status != 200:
            raise self._fail("listing tags", status, body)
        return sorted(json.loads(body).get("tags") or [])


# --- what Amber does with it --------------------------------------------------------------


@dataclass(frozen=True)
class Pushed:
    environment: str
    tags: tuple[str, ...]
    digest: str  # the manifest's


def manifest_for(data: bytes, layer_digest: str, name: str, annotations: dict[str, str]) -> bytes:
    manifest = {
        "schemaVersion": 2,
        "mediaType": MANIFEST,
        "artifactType": ARTIFACT,
        "config": {"mediaType": EMPTY, "digest": digest_of(EMPTY_BLOB), "size": len(EMPTY_BLOB)},
        "layers": [
            {
                "mediaType": ARTIFACT,
                "digest": layer_digest,
                "size": len(data),
                "annotations": {"org.opencontainers.image.title": name},
            }
        ],
        "annotations": annotations,
    }
    return canonical.dump_bytes(manifest)  # stable bytes: the same artifact, the same digest


def tags_for(environment: str, schema_version: str, content_hash: str) -> tuple[str, str]:
    pointer = pointer_name(schema_version)
    return f"{environment}-{pointer}", f"{environment}-{pointer}-{content_hash[7:19]}"


def push(reference: Reference, data: bytes, source: str, insecure: bool = False) -> Pushed:
    config = verify(data, source)
    registry = Registry(reference.host, insecure)
    git = config.provenance.get("git")
    annotations = {
        "dev.amber.environment": config.environment,
        "dev.amber.schema-version": config.schema_version,
        "dev.amber.content-hash": config.content_hash,
        "org.opencontainers.image.title": Path(source).name,
    }
    if isinstance(git, dict) and git.get("commit"):
        annotations["org.opencontainers.image.revision"] = str(git["commit"])
    registry.push_blob(reference.repository, EMPTY_BLOB)
    layer = registry.push_blob(reference.repository, data)
    manifest = manifest_for(data, layer, Path(source).name, annotations)
    tags = tags_for(config.environment, config.schema_version, config.content_hash)
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
