"""The artifact: a canonical JSON envelope around one environment's config, sealed.

``{"amber":2,"config":{...},"content_hash":"sha256:<hex>","environment":"prod",
"provenance":{...},"schema_version":"1.2.0","seal":"sha256:<hex>"}`` as RFC 8785 bytes, no
trailing newline.  The format and the seal are defined in ``amber.runtime.envelope``, which
reads what this writes.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path
from typing import Any

from amber import canonical
from amber.atomic import write_bytes
from amber.errors import IntegrityError, UsageError
from amber.jsonpath import format_path
from amber.runtime.config import Config
from amber.runtime.envelope import FORMAT, read_bytes, seal
from amber.runtime.secrets import is_reference


def envelope(
    config: dict[str, Any], environment: str, schema_version: str, provenance: dict[str, Any]
) -> dict[str, Any]:
    # The section index lets the runtime parse only what an app reads; it describes the
    # bytes of `config`, which the content hash covers, so a wrong index cannot go unnoticed.
    provenance = {
        **provenance,
        "secrets": secret_paths(config),
        "sections": canonical.member_spans(config),
    }
    return {
        "amber": FORMAT,
        "config": config,
        "content_hash": canonical.content_hash(config),
        "environment": environment,
        "provenance": provenance,
        "schema_version": schema_version,
    }


def secret_paths(value: Any, path: tuple[str | int, ...] = ()) -> list[str]:
    """The JSON path of every secret reference: what the runtime must resolve at load."""
    if is_reference(value):
        return [format_path(path)]
    if isinstance(value, dict):
        return [p for key in sorted(value) for p in secret_paths(value[key], (*path, key))]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in secret_paths(item, (*path, i))]
    return []


def assemble(
    config_bytes: bytes,
    spans: dict[str, list[int]],
    environment: str,
    schema_version: str,
    provenance: dict[str, Any],
    secrets: list[str],
) -> bytes:
    """The artifact's canonical bytes from a config already in canonical form.

    The envelope's keys have a fixed order (amber, config, content_hash, environment,
    provenance, schema_version, seal), so the bytes can be joined rather than serialized again.
    """
    record = {**provenance, "secrets": secrets, "sections": spans}
    unsealed = b"".join(
        [
            b'{"amber":',
            str(FORMAT).encode(),
            b',"config":',
            config_bytes,
            b',"content_hash":"',
            canonical.sha256_tag(config_bytes).encode(),
            b'","environment":',
            canonical.dump_bytes(environment),
            b',"provenance":',
            canonical.dump_bytes(record),
            b',"schema_version":',
            canonical.dump_bytes(schema_version),
            b"}",
        ]
    )
    return seal(unsealed)


def to_bytes(artifact: dict[str, Any]) -> bytes:
    """The sealed canonical bytes of an artifact made by :func:`envelope`."""
    return seal(canonical.dump_bytes({k: v for k, v in artifact.items() if k != "seal"}))


def verified(data: bytes, source: str) -> Config:
    """An artifact file the compiler's commands will work with: what the runtime accepts, and
    in canonical form, as Amber writes it (which rules out NaN, duplicate keys, lone
    surrogates: values the runtime's parser would let through a matching hash)."""
    config = Config(data, source, secrets="lazy")
    if not canonical.is_canonical(data):
        raise IntegrityError(
            "not in canonical form: edited by hand, or not written by amber", file=source
        )
    return config


def built_at() -> str | None:
    """The build time from ``SOURCE_DATE_EPOCH`` (reproducible builds), else None: no clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    # reproducible-builds.org: a malformed value must fail the build, not be ignored.
    try:
        if not epoch.isascii() or not epoch.isdigit():
            raise ValueError
        moment = _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise UsageError(
            f"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, not {epoch!r}"
        ) from None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def file_name(environment: str, version: str | None = None) -> str:
    """``prod.json`` for the current version, ``prod@1.1.0.json`` for another."""
    return f"{environment}.json" if version is None else f"{environment}@{version}.json"


def write(path: Path, data: bytes) -> bool:
    """Write atomically; False (and no write) when the file already holds these bytes."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    try:
        write_bytes(path, data)
    except OSError as exc:  # the old file, if any, is untouched: write_bytes renames last
        raise UsageError(f"cannot write: {exc.strerror or exc}", file=str(path)) from None
    return True


def read(path: Path) -> dict[str, Any]:
    """A verified artifact file as plain data (for show, diff and migrate)."""
    if not path.exists():  # the user named a file that is not there: a usage error, exit 2
        raise UsageError("no such file", file=str(path))
    data = read_bytes(path)
    verified(data, str(path))
    parsed: dict[str, Any] = json.loads(data)
    return parsed
