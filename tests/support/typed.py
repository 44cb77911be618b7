"""Generated typed-config modules in tests: import one, and hold its values to the plain API."""

from __future__ import annotations

import importlib.util
import itertools
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import amber
from amber.compiler import artifact
from amber.compiler.typed.names import attribute_names

_COUNTER = itertools.count()


def import_module(text: str, directory: Path) -> ModuleType:
    """The module's text, written and imported under a name of its own."""
    name = f"amber_typed_{next(_COUNTER)}"
    path = directory / f"{name}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def load_typed(module: ModuleType, config: dict[str, Any], directory: Path, version: str) -> Any:
    """An artifact of ``config`` written and loaded through the module's ``load``."""
    path = directory / f"artifact-{next(_COUNTER)}.json"
    path.write_bytes(artifact.to_bytes(artifact.envelope(config, "test", version, {})))
    return module.load(path, secrets="lazy")


def resolve(schema: Any, root: Mapping[str, Any]) -> Any:
    while isinstance(schema, Mapping) and "$ref" in schema and schema["$ref"].startswith("#/"):
        target: Any = root
        for part in schema["$ref"][2:].split("/"):
            target = target[part]
        schema = target
    return schema


def assert_matches(typed: Any, value: Any, schema: Any, root: Mapping[str, Any]) -> None:
    """``typed`` holds ``value`` (the plain API's) as ``schema`` says it should."""
    schema = resolve(schema, root)
    if value is None:
        assert typed is None
        return
    properties = schema.get("properties") if isinstance(schema, Mapping) else None
    if properties:
        assert isinstance(value, Mapping)
        attrs = attribute_names(list(properties))
        for key, sub in properties.items():
            attr = attrs[key]
            got = getattr(typed, attr)
            if key == "flags" and schema is root:
                continue
            if key not in value:
                assert got is None, (key, got)
            else:
                assert_matches(got, value[key], sub, root)
        return
    if isinstance(schema, Mapping) and schema.get("type") == "array" and "items" in schema:
        assert isinstance(typed, tuple) and len(typed) == len(value)
        for item, plain in zip(typed, value, strict=True):
            assert_matches(item, plain, schema["items"], root)
        return
    extra = schema.get("additionalProperties") if isinstance(schema, Mapping) else None
    if isinstance(extra, Mapping):
        assert isinstance(typed, Mapping) and set(typed) == set(value)
        # read-only: the runtime's own frozen mapping, or a proxy over typed values
        assert isinstance(typed, amber.FrozenDict) or type(typed).__name__ == "mappingproxy"
        for key in value:
            assert_matches(typed[key], value[key], extra, root)
        return
    assert typed == value and type(typed) is type(value), (typed, value)
