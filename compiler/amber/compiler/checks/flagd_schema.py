"""Flags against flagd's own published schema (``flagd_schemas/``, vendored with its source).

flagd evaluates some definitions its schema refuses (a literal bucketing seed, ``"v2.0"`` as a
version) and only logs a warning when it loads them; other flagd tools reject the file.  So a
build warns about them, and ``amber export --format flagd`` refuses to write them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from amber.jsonpath import Segment

SCHEMA_DIR = Path(__file__).parent / "flagd_schemas"
FLAGS_ID = "https://flagd.dev/schema/v0/flags.json"
_SEMVER_PATTERN = "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
# Errors of the branches a value was never meant to match: they say nothing useful.
_NOISE = {"additionalProperties", "required", "enum", "const", "oneOf", "anyOf"}


def problems(flags: Mapping[str, Any]) -> list[tuple[tuple[Segment, ...], str]]:
    """``(path, message)`` for each flag flagd's schema refuses, at the deepest path it can
    name, ``flags.<key>...`` first."""
    from jsonschema import Draft7Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    documents = [json.loads((SCHEMA_DIR / n).read_text()) for n in ("flags.json", "targeting.json")]
    registry: Registry[Any] = Registry().with_resources(
        (d["$id"], Resource.from_contents(d, default_specification=DRAFT7)) for d in documents
    )
    # In draft 7 a $ref hides its sibling $id, so the root is reached by its URL.
    validator = Draft7Validator({"$ref": FLAGS_ID}, registry=registry)
    found = []
    for key in sorted(flags):
        for error in validator.iter_errors({"flags": {key: flags[key]}}):
            leaf = _deepest(error)
            found.append((tuple(leaf.absolute_path), _message(leaf)))
    return found


def _leaves(error: Any) -> Iterator[Any]:
    if not error.context:
        yield error
        return
    for inner in error.context:
        yield from _leaves(inner)


def _deepest(error: Any) -> Any:
    """The error of the branch that got furthest into the value: the one a person means."""
    return max(
        _leaves(error),
        key=lambda e: (len(e.absolute_path), e.validator not in _NOISE),
    )


def _message(error: Any) -> str:
    if error.validator == "pattern" and str(error.validator_value).startswith(_SEMVER_PATTERN):
        return (
            f"{error.instance!r} is not a semantic version as flagd's schema requires "
            "(MAJOR.MINOR.PATCH, no 'v')"
        )
    return f"flagd's schema refuses this: {error.message}"
