"""Hypothesis strategies for configs valid under a (resolved) JSON Schema.

Covers what config schemas use: objects with properties, required, additionalProperties and
propertyNames; arrays with items, min/maxItems and uniqueItems; enums and consts; strings with
patterns and lengths; bounded numbers and integers; booleans.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

JSON_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


def from_schema(schema: Any) -> st.SearchStrategy[Any]:
    if schema is True or schema == {}:
        return st.one_of(st.none(), st.booleans(), st.integers(-100, 100), JSON_TEXT)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of(*[from_schema({**schema, "type": k}) for k in kind])
    if kind == "object" or "properties" in schema:
        return _object(schema)
    if kind == "array":
        return _array(schema)
    if kind == "string":
        return _string(schema)
    if kind in ("integer", "number"):
        return _number(schema, kind == "integer")
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    raise NotImplementedError(f"no strategy for {schema!r}")


def _object(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    fixed = {name: from_schema(properties[name]) for name in required}
    optional = {name: from_schema(sub) for name, sub in properties.items() if name not in required}
    extra = schema.get("additionalProperties", True)
    base = st.fixed_dictionaries(fixed, optional=optional)
    if extra is False or not isinstance(extra, dict):
        return base
    names = schema.get("propertyNames", {"type": "string"})
    keys = from_schema({"type": "string", **names}).filter(lambda k: k not in properties)
    low = schema.get("minProperties", 0)
    more = st.dictionaries(keys, from_schema(extra), min_size=low, max_size=max(low, 3))
    return st.tuples(base, more).map(lambda pair: {**pair[1], **pair[0]})


def _array(schema: dict[str, Any]) -> st.SearchStrategy[list[Any]]:
    items = from_schema(schema.get("items", True))
    low = schema.get("minItems", 0)
    high = schema.get("maxItems", low + 4)
    if schema.get("uniqueItems"):
        return st.lists(items, min_size=low, max_size=high, unique_by=_canonical_key)
    return st.lists(items, min_size=low, max_size=high)


def _canonical_key(value: Any) -> str:
    import json

    return json.dumps(value, sort_keys=True)


def _string(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    low, high = schema.get("minLength", 0), schema.get("maxLength", 16)
    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=True).filter(
            lambda s: low <= len(s) <= high
        )
    return st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=low, max_size=high
    )


def _number(schema: dict[str, Any], integer: bool) -> st.SearchStrategy[int | float]:
    low = schema.get("minimum", -1000)
    high = schema.get("maximum", 10**6)
    if "exclusiveMinimum" in schema:
        low = schema["exclusiveMinimum"] + (1 if integer else 1e-6)
    if "exclusiveMaximum" in schema:
        high = schema["exclusiveMaximum"] - (1 if integer else 1e-6)
    if integer:
        return st.integers(math.ceil(low), math.floor(high))
    # Floats that survive JSON: finite, and integral ones read back as integers.
    return st.floats(low, high, allow_nan=False, allow_infinity=False).map(
        lambda x: int(x) if x.is_integer() else x
    )
