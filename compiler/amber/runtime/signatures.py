"""Signed artifacts: who published this, for which environment, and how new it is.

CI signs an in-toto statement (environment, schema version, content hash, a sequence number
that only grows per environment, an optional expiry) in a DSSE envelope, the envelope sigstore
and in-toto use, with an ECDSA P-256 key (cosign's key type).  The statement's subject is the
sha256 of the artifact's bytes, so a signature covers every byte, seal included.

The signature of an artifact file is ``<file>.sig`` after symlinks are resolved: beside the
object in a directory store (``DIR/prod/1.2`` -> ``objects/sha256/<hex>.json.sig``), beside a
pulled file, beside the file in a ConfigMap.  Verifying needs ``cryptography`` (the ``verify``
extra), imported only when an app passes ``trust=``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import hashlib
import json
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from amber.errors import SignatureError
from amber.runtime.envelope import open_regular

log = logging.getLogger("amber")

PAYLOAD_TYPE = "application/vnd.in-toto+json"
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://amber.dev/attestations/publish/v1"
ENVELOPE_MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json"
MAX_ENVELOPE = 1 << 20  # a statement is a few hundred bytes; refuse to parse megabytes
MAX_KEY = 1 << 16  # a PEM public key is a few hundred bytes

Trust = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]


@dataclass(frozen=True)
class Statement:
    """What a publisher signed about one artifact."""

    environment: str
    schema_version: str
    content_hash: str
    sequence: int
    digest: str  # sha256 hex of the artifact's bytes
    expires: str | None = None  # ISO 8601, UTC
    keyid: str = ""  # the trusted key that verified it


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE's pre-authentication encoding: what is actually signed."""
    kind = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


def signature_path(path: str | os.PathLike[str]) -> str:
    return os.path.realpath(path) + ".sig"


def _cryptography() -> Any:
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
    except ImportError:
        raise SignatureError(
            "verifying signatures needs the cryptography package: "
            "pip install 'amber-config[verify]'"
        ) from None
    return hashes, serialization, ec, InvalidSignature


def key_id(public_key: Any) -> str:
    """sha256 of the key's DER SubjectPublicKeyInfo, hex: how envelopes name keys."""
    _, serialization, _, _ = _cryptography()
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


def trusted_keys(trust: Trust) -> dict[str, Any]:
    """Key id -> public key, from one ``.pub`` file or several (rotation: trust old and new)."""
    _, serialization, ec, _ = _cryptography()
    from cryptography.exceptions import UnsupportedAlgorithm

    paths = _paths(trust)
    keys = {}
    for path in paths:
        text = b""
        try:
            with open_regular(path) as handle:
                text = handle.read(MAX_KEY)
            key = serialization.load_pem_public_key(text)
        except OSError as exc:
            message = f"cannot read the public key: {exc.strerror or exc}"
            raise SignatureError(message, file=str(path)) from None
        except (ValueError, UnsupportedAlgorithm):  # either way, not a key this app takes
            said = (
                "a private key, not a public one"
                if b"PRIVATE KEY" in text
                else "not a PEM public key"
            )
            raise SignatureError(said, file=str(path)) from None
        if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
            raise SignatureError("not an ECDSA P-256 public key", file=str(path))
        keys[key_id(key)] = key
    return keys


def _paths(trust: Any) -> list[str | os.PathLike[str]]:
    """``trust=``: one path or several; anything else is the caller's mistake, said as such."""
    paths = [trust] if _is_path(trust) else trust
    if not isinstance(paths, (list, tuple)) or not all(_is_path(p) for p in paths):
        raise SignatureError("trust= takes the path of a .pub file, or a list of them")
    if not paths:
        raise SignatureError("trust= names no public keys")
    return list(paths)


def _is_path(value: Any) -> bool:
    return isinstance(value, (str, os.PathLike))


_TAG = re.compile(r"(?P<env>.+)-\d+\.\d+(?:-[0-9a-f]{12})?")


def tag_environment(tag: str | None) -> str | None:
    """The environment a registry tag names (``prod-1.2``, ``prod-1.2-<hash>``), or None."""
    found = _TAG.fullmatch(tag or "")
    return found["env"] if found else None


def pointer_environment(source: str) -> str | None:
    """The environment a store pointer (``DIR/<env>/<M.m>``) names, or None for any other
    path.  A signature says which environment it was made for; where an app reads says which
    one it wants."""
    pointer = os.path.normpath(source)
    store = os.path.dirname(os.path.dirname(pointer))
    if (
        re.fullmatch(r"\d+\.\d+", os.path.basename(pointer))
        and os.path.islink(pointer)
        and os.path.isdir(os.path.join(store, "objects"))
    ):
        return os.path.basename(os.path.dirname(pointer))
    return None


def check_location(statement: Statement, wanted: str | None, source: str) -> None:
    if wanted is not None and statement.environment != wanted:
        raise SignatureError(
            f"signed for environment {statement.environment}, but this app reads {wanted}'s "
            f"artifact here (another environment's signed artifact put in its place)",
            file=source,
        )


def read_signature(source: str) -> bytes | None:
    try:
        with open_regular(signature_path(source)) as handle:
            return handle.read(MAX_ENVELOPE + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SignatureError(f"cannot read the signature: {exc.strerror}", file=source) from None


def verify(data: bytes, envelope: bytes | None, keys: dict[str, Any], source: str) -> Statement:
    """The statement a trusted key signed over exactly ``data``; SignatureError otherwise."""
    if envelope is None:
        raise SignatureError(
            f"not signed: no signature at {signature_path(source)} "
            "(publish with `amber publish --sign KEY`)",
            file=source,
        )
    hashes, _, ec, invalid = _cryptography()
    payload, signatures = _parse_envelope(envelope, source)
    signed_by = ""
    for entry in signatures:
        wanted = str(entry.get("keyid") or "")
        candidates = [wanted] if wanted in keys else ([] if wanted else list(keys))
        for candidate in candidates:
            try:
                keys[candidate].verify(
                    base64.b64decode(str(entry.get("sig", "")), validate=True),
                    pae(PAYLOAD_TYPE, payload),
                    ec.ECDSA(hashes.SHA256()),
                )
            except (invalid, ValueError, binascii.Error):
                continue
            signed_by = candidate
            break
        if signed_by:
            break
    if not signed_by:
        named = [str(e.get("keyid") or "?") for e in signatures]
        if named and not any(n in keys for n in named):
            raise SignatureError(
                f"signed by a key this app does not trust (keyid {', '.join(named)})", file=source
            )
        raise SignatureError("the signature does not verify with the trusted keys", file=source)
    statement = _statement(payload, source, signed_by)
    if statement.digest != hashlib.sha256(data).hexdigest():
        raise SignatureError(
            "the signature is over other bytes: this artifact is not the one that was signed",
            file=source,
        )
    return statement


def read_unverified(envelope: bytes) -> Statement | None:
    """An envelope's statement without checking who signed it (a publisher numbering its
    next publish), or None when it holds none."""
    try:
        payload, _ = _parse_envelope(envelope, "")
        return _statement(payload, "", "")
    except SignatureError:
        return None


def _parse_envelope(envelope: bytes, source: str) -> tuple[bytes, list[dict[str, Any]]]:
    if len(envelope) > MAX_ENVELOPE:
        raise SignatureError("the signature file is too large to be a DSSE envelope", file=source)
    try:
        parsed = json.loads(envelope)
        if parsed.get("payloadType") != PAYLOAD_TYPE:
            raise ValueError("payloadType")
        payload = base64.b64decode(parsed["payload"], validate=True)
        signatures = [s for s in parsed["signatures"] if isinstance(s, dict)]
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError, binascii.Error):
        message = "the signature is not a DSSE envelope of a statement"
        raise SignatureError(message, file=source) from None
    return payload, signatures


def _statement(payload: bytes, source: str, keyid: str) -> Statement:
    try:
        parsed = json.loads(payload)
        if parsed["_type"] != STATEMENT_TYPE or parsed["predicateType"] != PREDICATE_TYPE:
            raise ValueError("type")
        (subject,) = parsed["subject"]
        predicate = parsed["predicate"]
        sequence = predicate["sequence"]
        if type(sequence) is not int or sequence < 1:
            raise ValueError("sequence")
        expires = predicate.get("expires")
        return Statement(
            environment=str(predicate["environment"]),
            schema_version=str(predicate["schema_version"]),
            content_hash=str(predicate["content_hash"]),
            sequence=sequence,
            digest=str(subject["digest"]["sha256"]),
            expires=str(expires) if expires is not None else None,
            keyid=keyid,
        )
    except (ValueError, KeyError, TypeError):
        raise SignatureError("the signed statement is not Amber's", file=source) from None


def check_statement(statement: Statement, environment: str, content_hash: str, source: str) -> None:
    """The statement is about this artifact: its environment and its content."""
    if statement.environment != environment:
        raise SignatureError(
            f"the signature is for {statement.environment}, this artifact is {environment}",
            file=source,
        )
    if statement.content_hash != content_hash:
        raise SignatureError("the signature names other content", file=source)
    if statement.expires is not None and statement.expires < _now():
        log.warning(
            "amber: %s: its signature expired at %s; is the publisher still publishing?",
            source,
            statement.expires,
        )


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
