"""The flags an app can ask for, typed: the union of every environment's flags.

A flag's value type is the same in every environment that has it (``amber check`` reports a
flag whose variants are strings in one and numbers in another); a string flag's values are
the union of its variants' values, so a typo in a comparison is a type error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from amber.compiler.flag_summary import flag_type
from amber.compiler.typed.schema import python_literal
from amber.errors import Diagnostic

# An OpenFeature type's Python annotation, and the default a caller may leave out.
ANNOTATIONS = {
    "boolean": "bool",
    "string": "str",
    "integer": "int",
    "float": "float",
    "object": "Mapping[str, Any]",
}


@dataclass
class FlagSpec:
    key: str
    kind: str  # boolean, string, integer, float, object
    values: list[Any] = field(default_factory=list)  # a string flag's variant values
    environments: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)

    @property
    def annotation(self) -> str:
        if self.kind == "string" and self.values:
            return f"Literal[{', '.join(python_literal(v) for v in sorted(self.values))}]"
        return ANNOTATIONS[self.kind]


def flag_specs(
    configs: Mapping[str, Mapping[str, Any]],
) -> tuple[list[FlagSpec], list[Diagnostic]]:
    """Every flag of every environment (``env -> config``), and the flags whose type differs
    between environments (one diagnostic each, naming them)."""
    specs: dict[str, FlagSpec] = {}
    kinds: dict[str, dict[str, list[str]]] = {}
    for env in sorted(configs):
        flags = configs[env].get("flags")
        if not isinstance(flags, Mapping):
            continue
        for key in sorted(flags):
            flag = flags[key]
            if not isinstance(flag, Mapping):
                continue
            kind = flag_type(flag)
            kinds.setdefault(key, {}).setdefault(kind, []).append(env)
            spec = specs.setdefault(key, FlagSpec(key, kind))
            spec.environments.append(env)
            owner = (flag.get("metadata") or {}).get("owner")
            if isinstance(owner, str) and owner not in spec.owners:
                spec.owners.append(owner)
            if kind == "string":
                for value in (flag.get("variants") or {}).values():
                    if value not in spec.values:
                        spec.values.append(value)
    problems = []
    for key, by_kind in sorted(kinds.items()):
        if "mixed" in by_kind:
            specs.pop(key)  # the environment's own check reports it
        elif set(by_kind) == {"integer", "float"}:
            specs[key].kind = "float"  # an integer is also a float to a client
        elif len(by_kind) > 1:
            said = "; ".join(
                f"{kind} in {', '.join(envs)}" for kind, envs in sorted(by_kind.items())
            )
            problems.append(
                Diagnostic(
                    f"flag {key!r} has variants of another type in each environment ({said}): "
                    "an app cannot ask for it with one type",
                    path=f"flags.{key}",
                    code="flag-types",
                )
            )
            specs.pop(key)
    return [specs[k] for k in sorted(specs)], problems
