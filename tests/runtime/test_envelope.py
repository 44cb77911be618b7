"""The sealed envelope: every byte of an artifact is covered, so no bit of it can change unseen."""

from __future__ import annotations

import hashlib
import json

import pytest

import amber
from amber.compiler import artifact
from amber.runtime.envelope import SEAL_LENGTH

SMALL = artifact.to_bytes(
    artifact.envelope(
        {"flags": {"f": {"state": "ENABLED", "variants": {"on": True}, "defaultVariant": "on"}}},
        "prod",
        "1.2.0",
        {"compiler": "test", "flags": {"fractional": "v3"}},
    )
)


def load(data: bytes) -> amber.Config:
    return amber.Config(data, "x.json", secrets="lazy")


def test_the_seal_is_the_hash_of_every_byte_before_it() -> None:
    assert SMALL.endswith(b'"}') and SMALL[-SEAL_LENGTH:].startswith(b',"seal":"sha256:')
    body = SMALL[:-SEAL_LENGTH]
    assert json.loads(SMALL)["seal"] == "sha256:" + hashlib.sha256(body).hexdigest()
    assert load(SMALL).environment == "prod"


def test_no_single_bit_flip_anywhere_loads() -> None:
    loaded = []
    for index in range(len(SMALL)):
        for bit in range(8):
            flipped = bytearray(SMALL)
            flipped[index] ^= 1 << bit
            try:
                load(bytes(flipped))
            except amber.LoadError:
                continue
            loaded.append((index, bit))
    assert len(SMALL) * 8 > 3000
    assert loaded == []


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (b'"fractional":"v3"', b'"fractional":"v2"'),
        (b'"schema_version":"1.2.0"', b'"schema_version":"1.3.0"'),
        (b'"environment":"prod"', b'"environment":"qrod"'),
    ],
)
def test_envelope_fields_are_under_the_seal(before: bytes, after: bytes) -> None:
    with pytest.raises(amber.IntegrityError, match="seal mismatch"):
        load(SMALL.replace(before, after))


def test_anything_after_the_seal_is_refused() -> None:
    with pytest.raises(amber.IntegrityError, match="no seal at its end"):
        load(SMALL + b"\n")
    with pytest.raises(amber.IntegrityError, match="no seal at its end"):
        load(SMALL[:-1])


def test_format_1_is_refused_with_the_way_out() -> None:
    unsealed = json.loads(SMALL)
    del unsealed["seal"]
    unsealed["amber"] = 1
    data = json.dumps(unsealed, separators=(",", ":"), sort_keys=True).encode()
    with pytest.raises(amber.VersionError, match=r"format 1 is not sealed.*amber build"):
        load(data)
    unsealed["amber"] = 3
    data = json.dumps(unsealed, separators=(",", ":"), sort_keys=True).encode()
    with pytest.raises(amber.VersionError, match="format 3 is newer"):
        load(data)
