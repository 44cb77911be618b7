"""Keys and signatures on the publishing side: ``amber keygen`` and ``amber publish --sign``.

ECDSA P-256 with SHA-256, as ``cosign generate-key-pair`` makes: the public key is the PEM
SubjectPublicKeyInfo cosign reads, and the DSSE signature is the DER encoding cosign writes.
(Ed25519 is smaller and deterministic, but cosign verifies attestations with P-256 keys; one key
type for both keeps a team's key ceremony single.)  What is signed is described in
``amber.runtime.signatures``, which verifies it.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from amber.atomic import write_bytes
from amber.errors import UsageError
from amber.runtime.config import Config
from amber.runtime.signatures import (
    PAYLOAD_TYPE,
    PREDICATE_TYPE,
    STATEMENT_TYPE,
    key_id,
    pae,
)

_DURATION = re.compile(r"(\d+)([dhm])")


@dataclass(frozen=True)
class SigningKey:
    path: str
    private: Any

    @property
    def keyid(self) -> str:
        return key_id(self.private.public_key())


def keygen(name: Path) -> tuple[Path, Path]:
    """``NAME.key`` (private, mode 0600) and ``NAME.pub``; refuses to overwrite either."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    private_path, public_path = (
        name.with_name(name.name + ".key"),
        name.with_name(name.name + ".pub"),
    )
    for path in (private_path, public_path):
        if path.exists():
            raise UsageError(f"{path} exists; keygen never overwrites a key")
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    write_bytes(private_path, private, mode=0o600)
    write_bytes(public_path, public)
    return private_path, public_path


def load_key(path: str) -> SigningKey:
    """A private key from a file, or from the environment variable ``env:NAME`` (a CI secret)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    if path.startswith("env:"):
        text = os.environ.get(path[4:])
        if not text:
            raise UsageError(f"the environment variable {path[4:]} holding the key is not set")
        pem = text.encode()
    else:
        try:
            pem = Path(path).read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read the signing key: {exc.strerror}", file=path) from None
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        raise UsageError("not an unencrypted PEM private key", file=path) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise UsageError("not an ECDSA P-256 private key (make one with `amber keygen`)", file=path)
    return SigningKey(path, key)


def expiry(text: str | None) -> str | None:
    """``30d``, ``12h``, ``90m`` from now, as the UTC timestamp a statement carries."""
    if text is None:
        return None
    matched = _DURATION.fullmatch(text.strip())
    if not matched or int(matched.group(1)) == 0:
        raise UsageError(f"--expires {text!r}: say a duration like 30d, 12h or 90m")
    unit = {"d": "days", "h": "hours", "m": "minutes"}[matched.group(2)]
    when = _dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(**{unit: int(matched.group(1))})
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def statement(data: bytes, config: Config, sequence: int, expires: str | None) -> bytes:
    """The in-toto statement about one artifact, as signed bytes."""
    predicate: dict[str, Any] = {
        "environment": config.environment,
        "schema_version": config.schema_version,
        "content_hash": config.content_hash,
        "sequence": sequence,
    }
    if expires is not None:
        predicate["expires"] = expires
    document = {
        "_type": STATEMENT_TYPE,
        "subject": [
            {
                "name": f"{config.environment}.json",
                "digest": {"sha256": hashlib.sha256(data).hexdigest()},
            }
        ],
        "predicateType": PREDICATE_TYPE,
        "predicate": predicate,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def sign(
    data: bytes, config: Config, key: SigningKey, sequence: int, expires: str | None = None
) -> bytes:
    """The DSSE envelope of the statement, signed with ``key``."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    payload = statement(data, config, sequence, expires)
    signature = key.private.sign(pae(PAYLOAD_TYPE, payload), ec.ECDSA(hashes.SHA256()))
    envelope = {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode(),
        "signatures": [{"keyid": key.keyid, "sig": base64.b64encode(signature).decode()}],
    }
    return json.dumps(envelope, sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Signer:
    """What ``--sign KEY [--expires 30d]`` asks of a publish: sign each artifact moved."""

    key: SigningKey
    expires: str | None = None

    def envelope(self, data: bytes, config: Config, sequence: int) -> bytes:
        return sign(data, config, self.key, sequence, self.expires)
