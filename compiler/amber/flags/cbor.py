"""Deterministic CBOR (RFC 8949 section 4.2.1) of JSON values: what ``fractional`` v3 hashes.

Standard library only.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping
from typing import Any


def head_bytes(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if length < 1 << (8 * size):
            return bytes([major << 5 | extra]) + length.to_bytes(size, "big")
    raise ValueError("length too large for CBOR")


def _float(value: float) -> bytes:
    """The shortest of half, single and double precision that holds ``value`` exactly."""
    if math.isnan(value):
        return b"\xf9\x7e\x00"
    if math.isinf(value):
        return b"\xf9\x7c\x00" if value > 0 else b"\xf9\xfc\x00"
    encoded = b"\xfb" + struct.pack(">d", value)
    for fmt, tag in ((">f", 0xFA), (">e", 0xF9)):
        try:
            packed = struct.pack(fmt, value)
        except OverflowError:
            break
        if struct.unpack(fmt, packed)[0] != value:
            break
        encoded = bytes([tag]) + packed
    return encoded


def cbor(value: Any) -> bytes:
    """Deterministic CBOR of a JSON value; integral floats are encoded as integers."""
    if value is None:
        return b"\xf6"
    if value is True:
        return b"\xf5"
    if value is False:
        return b"\xf4"
    if type(value) is float and value.is_integer() and -(2**63) <= value <= 2**64 - 1:
        value = int(value)
    if type(value) is int:
        major, magnitude = (0, value) if value >= 0 else (1, -1 - value)
        if magnitude < 1 << 64:
            return head_bytes(major, magnitude)
        # A bignum (tag 2, or 3 for negative), as flagd's own CBOR encoders write it.
        digits = magnitude.to_bytes((magnitude.bit_length() + 7) // 8, "big")
        return bytes([0xC2 + major]) + head_bytes(2, len(digits)) + digits
    if type(value) is float:
        return _float(value)
    if isinstance(value, str):
        return text(value)
    if isinstance(value, (list, tuple)):
        return head_bytes(4, len(value)) + b"".join(cbor(item) for item in value)
    if isinstance(value, Mapping):
        # Keys in the bytewise order of their encodings; for strings, shorter first.
        pairs = sorted(
            ((cbor(key), cbor(item)) for key, item in value.items()),
            key=lambda pair: (len(pair[0]), pair[0]),
        )
        return head_bytes(5, len(pairs)) + b"".join(key + item for key, item in pairs)
    raise TypeError(f"{type(value).__name__} cannot be hashed for fractional")


# The one-byte heads of text strings shorter than 24 bytes (major type 3).
TEXT_HEADS = [bytes([0x60 | n]) for n in range(24)]


def text(value: str) -> bytes:
    """A CBOR text string."""
    data = value.encode("utf-8")
    size = len(data)
    return (TEXT_HEADS[size] if size < 24 else head_bytes(3, size)) + data
