"""Python names for what a schema names: classes, fields, flag methods, builders.

A name must compile, must not shadow what the module itself uses, and must not move: a key
that is a usable name already keeps it whatever else the schema adds beside it.
"""

from __future__ import annotations

import keyword
import re

# Names the generated module itself uses: a field, class or alias of the same name would
# shadow them inside a class body (``max: float`` under a field called ``float``) or at the top.
MODULE_NAMES = frozenset(
    {
        "amber", "annotations", "dataclass", "field", "os", "Any", "Callable", "Literal",
        "Mapping", "MappingProxyType", "Flags", "SCHEMA_VERSION", "EXPECT", "load", "watch",
        "str", "int", "float", "bool", "tuple", "object", "type", "None", "True", "False",
    }
)  # fmt: skip


def class_name(text: str) -> str:
    """``spaced_repetition`` -> ``SpacedRepetition``; always an identifier."""
    words = [w for w in re.split(r"[^0-9A-Za-z]+", text) if w]
    name = "".join(w[:1].upper() + w[1:] for w in words) or "Value"
    return f"T{name}" if name[0].isdigit() else name


def attribute_names(keys: list[str], taken: set[str] | None = None) -> dict[str, str]:
    """A Python name per JSON key (``max-size`` -> ``max_size``, ``class`` -> ``class_``).
    A key that is a usable name already keeps it, whatever comes before it: adding
    ``max-size`` next to ``max_size`` must not move ``max_size`` to another name."""
    taken = set() if taken is None else taken
    names: dict[str, str] = {}
    exact = [k for k in keys if _plain(k) == k]
    for key in [*exact, *[k for k in keys if k not in exact]]:
        names[key] = _attribute_name(key, taken)
    return {key: names[key] for key in keys}


def _plain(key: str) -> str:
    """A key as a Python name, before collisions are settled."""
    name = key if key.isidentifier() else re.sub(r"\W", "_", key) or "_"
    if not name.isidentifier():  # \w is wider than what a name may hold
        name = re.sub(r"\W", "_", key, flags=re.ASCII) or "_"
    if name[0].isdigit():
        name = f"_{name}"
    if name.startswith("__"):  # Python would mangle it inside the class
        name = name.lstrip("_") + "_" if name.strip("_") else "field_"
    if keyword.iskeyword(name) or name in MODULE_NAMES or name == "amber_config":
        name += "_"
    return name


def _attribute_name(key: str, taken: set[str]) -> str:
    """A Python name for a JSON key, not one of ``taken`` (which it joins)."""
    name = base = _plain(key)
    count = 2
    while name in taken:
        name, count = f"{base}_{count}", count + 1
    taken.add(name)
    return name


def builder_name(name: str) -> str:
    """The generated function that builds class ``name`` from a verified mapping: one per
    class name (``OAuth`` and ``Oauth`` must not share one)."""
    return f"_build_{name}"
