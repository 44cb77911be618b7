"""A small client for the OCI distribution API, over urllib (standard library only: apps that
follow a registry with ``amber.watch("oci://...")`` use it, and ``amber publish`` pushes with it).

The API is spoken directly: a push is four requests, a pull two, and owning the manifest bytes
keeps its digest stable (a registry client library would add a dependency tree larger than
Amber to save about a hundred lines).  Registries on a loopback address are spoken to over
plain HTTP, as Docker does; others over HTTPS unless ``insecure``.  Credentials come from
``AMBER_REGISTRY_USERNAME``/``AMBER_REGISTRY_PASSWORD`` or the docker config
(``~/.docker/config.json``, ``$DOCKER_CONFIG``), for Basic and Bearer-token registries.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from amber.canonical import sha256_tag
from amber.errors import AmberError, UsageError

MANIFEST = "application/vnd.oci.image.manifest.v1+json"
Answer = tuple[int, dict[str, str], bytes]  # status, headers, body
# A registry that answers more than this is not answering what was asked (a manifest is a few
# hundred bytes; an artifact's size is in its manifest).
MAX_MANIFEST = 4 << 20
MAX_BLOB = 512 << 20
_REFERENCE = re.compile(
    r"oci://(?P<host>[^/]+)/(?P<repo>[a-z0-9]+(?:[._/-][a-z0-9]+)*)"
    r"(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?P<digest>sha256:[0-9a-f]{64}))?"
)


@dataclass(frozen=True)
class Reference:
    """An OCI repository, and optionally a tag or a digest in it."""

    host: str
    repository: str
    tag: str | None = None
    digest: str | None = None

    @classmethod
    def parse(cls, text: str) -> Reference:
        matched = _REFERENCE.fullmatch(text)
        if not matched or not _is_host(matched["host"]):
            raise UsageError(f"{text!r} is not oci://HOST[:PORT]/REPOSITORY[:TAG][@sha256:DIGEST]")
        return cls(matched["host"], matched["repo"], matched["tag"], matched["digest"])

    def __str__(self) -> str:
        tag = f":{self.tag}" if self.tag else ""
        digest = f"@{self.digest}" if self.digest else ""
        return f"oci://{self.host}/{self.repository}{tag}{digest}"


def _is_host(host: str) -> bool:
    """``name[:port]`` or ``[ipv6][:port]``, as a URL can carry it."""
    try:
        parts = urllib.parse.urlsplit(f"//{host}")
        port = parts.port  # raises on a port that is not a number in range
    except ValueError:  # an unclosed IPv6 bracket, a bad port
        return False
    return bool(parts.hostname) and (port is None or port > 0)


class RegistryError(AmberError):
    """The registry refused or failed a request."""

    exit_code = 2


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
        limit: int = MAX_MANIFEST,
    ) -> tuple[int, dict[str, str], bytes]:
        headers = dict(headers or {})
        for attempt in range(2):
            if self._token:
                headers["Authorization"] = self._token
            request = urllib.request.Request(url, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    body = response.read(limit + 1)
                    if len(body) > limit:
                        raise RegistryError(
                            f"{self.host}: the answer to {method} {url} is over {limit} bytes"
                        )
                    return response.status, dict(response.headers), body
            except urllib.error.HTTPError as exc:
                body = exc.read(MAX_MANIFEST)
                if exc.code == 401 and attempt == 0:
                    self._authenticate(exc.headers.get("WWW-Authenticate", ""), scope)
                    continue
                return exc.code, dict(exc.headers), body
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                # HTTPException: something answered that does not speak HTTP (BadStatusLine)
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
                answer = json.loads(response.read(MAX_MANIFEST))
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
            raise RegistryError(f"{self.host}: token request failed: {exc}") from None
        bearer = (
            answer.get("token") or answer.get("access_token") if isinstance(answer, dict) else None
        )
        if not isinstance(bearer, str):
            raise RegistryError(f"{self.host}: the token service answered no token")
        self._token = f"Bearer {bearer}"

    def _fail(self, what: str, status: int, body: bytes) -> RegistryError:
        detail = body.decode(errors="replace").strip()[:300]
        return RegistryError(f"{self.host}: {what} failed with HTTP {status}: {detail}")

    # --- blobs and manifests -------------------------------------------------------------

    def push_blob(self, repository: str, data: bytes) -> str:
        digest = sha256_tag(data)
        scope = f"repository:{repository}:pull,push"
        status, _, _ = self._request(
            "HEAD", f"{self.base}/v2/{repository}/blobs/{digest}", scope=scope
        )
        if status == 200:
            return digest  # already there
        uploads = f"{self.base}/v2/{repository}/blobs/uploads/"
        _, headers, _ = self._expect(
            202, "starting a blob upload", "POST", uploads, data=b"", scope=scope
        )
        location = urllib.parse.urljoin(self.base, headers.get("Location", ""))
        separator = "&" if "?" in location else "?"
        self._expect(
            201,
            "uploading a blob",
            "PUT",
            f"{location}{separator}digest={digest}",
            data=data,
            headers={"Content-Type": "application/octet-stream"},
            scope=scope,
        )
        return digest

    def _expect(self, ok: int, what: str, method: str, url: str, **options: Any) -> Answer:
        """A request that must answer ``ok``; anything else fails, saying ``what`` was tried."""
        status, headers, body = self._request(method, url, **options)
        if status != ok:
            raise self._fail(what, status, body)
        return status, headers, body

    def put_manifest(self, repository: str, reference: str, manifest: bytes) -> str:
        url = f"{self.base}/v2/{repository}/manifests/{reference}"
        scope = f"repository:{repository}:pull,push"
        headers = {"Content-Type": MANIFEST}
        what = f"pushing the manifest {reference}"
        _, answered, _ = self._expect(
            201, what, "PUT", url, data=manifest, headers=headers, scope=scope
        )
        return answered.get("Docker-Content-Digest") or sha256_tag(manifest)

    def get_manifest(self, repository: str, reference: str) -> tuple[bytes, str]:
        """The manifest's bytes and digest; RegistryError (naming it) when it does not exist."""
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
        return body, sha256_tag(body)

    def manifest_digest(self, repository: str, reference: str) -> str:
        """What a tag names now, with a HEAD request (a GET when the registry does not say)."""
        status, headers, _ = self._request(
            "HEAD",
            f"{self.base}/v2/{repository}/manifests/{reference}",
            headers={"Accept": MANIFEST},
            scope=f"repository:{repository}:pull",
        )
        digest = headers.get("Docker-Content-Digest", "")
        if status == 200 and re.fullmatch(r"sha256:[0-9a-f]{64}", digest):
            return digest
        if status == 404:
            raise RegistryError(f"{self.host}/{repository}:{reference} does not exist")
        return self.get_manifest(repository, reference)[1]

    def get_blob(self, repository: str, digest: str, size: int | None = None) -> bytes:
        url = f"{self.base}/v2/{repository}/blobs/{digest}"
        scope = f"repository:{repository}:pull"
        limit = min(size, MAX_BLOB) if size is not None and size >= 0 else MAX_BLOB
        what = f"fetching the blob {digest}"
        _, _, body = self._expect(200, what, "GET", url, scope=scope, limit=limit)
        if sha256_tag(body) != digest:
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
