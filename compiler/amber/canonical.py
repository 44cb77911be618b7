"""Canonical JSON (RFC 8785, the JSON Canonicalization Scheme) and the content hash.

Same value in, same bytes out: keys sorted by UTF-16 code units, no insignificant whitespace,
strings as UTF-8 with only the mandatory escapes, numbers as IEEE doubles printed the way
ECMAScript prints them.  Standard library only.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

# Jsonnet numbers are doubles; integers beyond this are not exactly representable.
_MAX_SAFE = 2**53
# The encoder json uses with ensure_ascii=False: its escapes (", \\, control characters as
# \b \t \n \f \r or lowercase \u00xx) are exactly RFC 8785's.
_encode_string = json.encoder.encode_basestring


def format_number(value: int | float) -> str:
    """ECMAScript ``Number.prototype.toString`` of the double nearest ``value``."""
    if isinstance(value, int):
        if -_MAX_SAFE <= value <= _MAX_SAFE:
            return str(value)
        value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not a JSON number")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    text = repr(abs(value))  # shortest digits that round-trip, like ECMAScript
    mantissa, _, exp_text = text.partition("e")
    exponent = int(exp_text) if exp_text else 0
    int_part, _, frac_part = mantissa.partition(".")
    digits = int_part + frac_part
    point = len(int_part) + exponent  # value = 0.<digits> * 10**point
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    k, n = len(digits), point
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * -n + digits
    else:
        e = n - 1
        exp = f"e{'+' if e >= 0 else '-'}{abs(e)}"
        body = digits + exp if k == 1 else digits[0] + "." + digits[1:] + exp
    return sign + body


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def sorted_keys(mapping: dict[str, Any]) -> list[str]:
    """Keys in UTF-16 code unit order, which for ASCII keys is plain string order."""
    for key in mapping:
        if type(key) is not str:
            raise TypeError(f"object keys must be strings, not {type(key).__name__}")
    keys = list(mapping)
    if all(key.isascii() for key in keys):
        return sorted(keys)
    return sorted(keys, key=_utf16_key)


def _write(value: Any, out: list[str]) -> None:
    # Exact type checks first: they are the common case and bool must not pass as int.
    kind = type(value)
    if kind is str:
        out.append(_encode_string(value))
    elif kind is dict:
        out.append("{")
        first = True
        for key in sorted_keys(value):
            if not first:
                out.append(",")
            first = False
            out.append(_encode_string(key))
            out.append(":")
            _write(value[key], out)
        out.append("}")
    elif kind is list or kind is tuple:
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _write(item, out)
        out.append("]")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif value is None:
        out.append("null")
    elif kind is int or kind is float:
        out.append(format_number(value))
    else:
        raise TypeError(f"{kind.__name__} is not a JSON value")


def dumps(value: Any) -> str:
    """The canonical JSON text of ``value`` (dicts, lists, str, int, float, bool, None)."""
    out: list[str] = []
    _write(value, out)
    return "".join(out)


def dump_config(config: dict[str, Any]) -> tuple[bytes, dict[str, list[int]]]:
    """Canonical bytes of a config object, and the byte range ``[start, end)`` of each
    top-level ``"key":value`` in them: the runtime parses only the sections an app reads."""
    members: list[bytes] = []
    spans: dict[str, list[int]] = {}
    position = 1  # after "{"
    for key in sorted_keys(config):
        out: list[str] = [_encode_string(key), ":"]
        _write(config[key], out)
        try:
            member = "".join(out).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(f"string is not valid Unicode: {exc.reason}") from None
        members.append(member)
        spans[key] = [position, position + len(member)]
        position += len(member) + 1  # the "," or the closing "}"
    return b"{" + b",".join(members) + b"}", spans


def member_spans(config: dict[str, Any]) -> dict[str, list[int]]:
    return dump_config(config)[1]


def dump_bytes(value: Any) -> bytes:
    """The canonical UTF-8 bytes of ``value``; lone surrogates are refused."""
    try:
        return dumps(value).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"string is not valid Unicode: {exc.reason}") from None


def normalize_number(text: str) -> int | float:
    """Parse a JSON number the way a double-based reader sees it.

    Integral doubles become ``int`` (so ``1.0`` and ``1`` are one value) and ``-0`` becomes ``0``:
    exactly what ``json.loads`` returns for the canonical text.
    """
    number = float(text)
    if number.is_integer() and -_MAX_SAFE <= number <= _MAX_SAFE:
        return int(number)
    return number


def loads(text: str | bytes) -> Any:
    """Parse JSON with numbers normalized as :func:`normalize_number` does."""
    return json.loads(text, parse_int=normalize_number, parse_float=normalize_number)


def is_canonical(data: bytes) -> bool:
    """Are these the canonical bytes of some JSON value?  (No NaN, duplicate keys, lone
    surrogates, out-of-range numbers, reordered keys or extra whitespace.)"""
    try:
        return dump_bytes(loads(data)) == data
    except (ValueError, RecursionError):  # UnicodeError is a ValueError
        return False


def sha256_tag(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def content_hash(config: Any) -> str:
    """``sha256:<hex>`` of the canonical bytes of ``config``: the artifact's ``content_hash``."""
    return sha256_tag(dump_bytes(config))
