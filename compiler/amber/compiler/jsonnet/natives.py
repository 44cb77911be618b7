"""The native functions Amber gives Jsonnet (``std.native('parseYaml')``), as Tanka does.

- ``parseJson(text)``: the JSON value;
- ``parseYaml(text)``: an array of the YAML documents in ``text`` (always an array, even for
  one document, as Tanka's); timestamps stay strings, as JSON has no dates.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import yaml


class _JsonLikeLoader(yaml.SafeLoader):
    """YAML 1.1 as the safe loader reads it, but dates and times left as the strings they are."""


_JsonLikeLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_json(text: str) -> Any:
    return json.loads(text)


def parse_yaml(text: str) -> list[Any]:
    return list(yaml.load_all(text, Loader=_JsonLikeLoader))


# The form both engines take: name -> (parameter names, function).
NATIVES: dict[str, tuple[tuple[str, ...], Callable[..., Any]]] = {
    "parseJson": (("json",), parse_json),
    "parseYaml": (("yaml",), parse_yaml),
}
