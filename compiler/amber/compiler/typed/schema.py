"""A JSON Schema read as Python types: a frozen dataclass per object, ``Literal`` for enums,
``tuple`` for arrays, ``Mapping`` for maps, ``amber.Secret`` for secret references.

What has no faithful Python type becomes ``Any`` with the reason beside it (``Typ.why``), never
an error: a schema is the team's, and the types are a convenience over the plain API.
"""

from __future__ import annotations

import json
import keyword
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from amber.compiler.typed.names import (
    MODULE_NAMES,
    attribute_names,
    builder_name,
    class_name,
)

SECRET_URN = "urn:amber:secret"
FLAGS_URN = "urn:amber:flags"
_PRIMITIVES = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "None",
}


@dataclass(frozen=True)
class Typ:
    """A Python type, and how to make a value of it from a verified JSON value.

    ``convert`` names the generated function that makes one from a JSON value; None when the
    value Amber's runtime serves already is one (primitives, frozen maps, tuples, secrets).
    """

    annotation: str
    convert: str | None = None
    why: str = ""  # set when the annotation is Any


@dataclass
class Field:
    key: str  # the JSON name
    attr: str  # the Python name
    typ: Typ
    required: bool
    doc: str


@dataclass
class ClassDef:
    name: str
    doc: str
    origin: str  # where in the schema: a $defs name or the property that holds it
    fields: list[Field] = field(default_factory=list)


ANY = "Any"


def _any(why: str) -> Typ:
    return Typ(ANY, None, why)


def _doc(schema: Mapping[str, Any]) -> str:
    text = schema.get("description") or schema.get("title") or ""
    return " ".join(str(text).split())


class SchemaTypes:
    """Walks one schema document; ``classes`` fills as objects are met, in a stable order."""

    def __init__(self, document: Mapping[str, Any], root_name: str) -> None:
        self.document = document
        self.root_name = root_name
        self.classes: dict[str, ClassDef] = {}
        # Enums as named Literal types (``Provider = Literal["gemini", ...]``): name -> values.
        self.aliases: dict[str, list[Any]] = {}
        # Conversions of containers of objects: function name -> (return annotation, expression
        # of ``value``), one small function each so that no line grows with the nesting.
        self.helpers: dict[str, tuple[str, str]] = {}
        self._by_ref: dict[str, str] = {}
        self._resolving: set[str] = set()  # $refs being followed, against endless recursion
        self.has_flags = False

    def root(self) -> ClassDef:
        document: Mapping[str, Any] = self.document
        if "allOf" in document or "$ref" in document:  # a root composed of its $defs
            document = self.merged(document) or document
        self._object_class(document, self.root_name, ref=None, root=True, hint="")
        return self.classes[self.root_name]

    def typ(self, schema: Any, hint: str) -> Typ:
        """The type of a value valid under ``schema``; ``hint`` names a class if one is made."""
        if schema is True or schema == {} or schema is None:
            return _any("the schema allows any value here")
        if schema is False or not isinstance(schema, Mapping):
            return _any("the schema allows no value here")
        if "$ref" in schema:
            return self._ref(schema, hint)
        if "const" in schema:
            return self._literal([schema["const"]], hint)
        if "enum" in schema and isinstance(schema["enum"], list):
            return self._literal(schema["enum"], hint)
        for combinator in ("oneOf", "anyOf"):
            if isinstance(schema.get(combinator), list):
                return self._union(schema[combinator], hint, combinator)
        if isinstance(schema.get("allOf"), list):
            return self._all_of(schema, hint)
        kind = schema.get("type")
        if isinstance(kind, list):
            branches = [{**schema, "type": k} for k in kind]
            return self._union(branches, hint, "type")
        if kind == "object" or (kind is None and ("properties" in schema)):
            return self._object(schema, hint)
        if kind == "array":
            return self._array(schema, hint)
        if kind in _PRIMITIVES:
            return Typ(_PRIMITIVES[kind])
        return _any("the schema does not say the type")

    def _ref(self, schema: Mapping[str, Any], hint: str) -> Typ:
        ref = str(schema["$ref"])
        if ref == SECRET_URN:
            return Typ("amber.Secret")
        if ref == FLAGS_URN:
            return Typ("Mapping[str, Any]", None, "flags are read through the Flags class")
        if ref.startswith("#/"):
            parts = [p.replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/")]
            target: Any = self.document
            for part in parts:
                target = target.get(part) if isinstance(target, Mapping) else None
            if isinstance(target, Mapping):
                if self._is_object(target) and "properties" in target:
                    name = self._by_ref.get(ref) or self._unique(class_name(parts[-1]))
                    if ref not in self._by_ref:
                        self._by_ref[ref] = name
                        self._object_class(target, name, ref, hint=hint)
                    return _class_typ(name)
                if ref in self._resolving:
                    return _any(f"$ref {ref!r} refers to itself and is not an object")
                self._resolving.add(ref)
                try:
                    return self.typ(target, parts[-1])
                finally:
                    self._resolving.discard(ref)
        return _any(f"$ref {ref!r} is not in this schema")

    @staticmethod
    def _is_object(schema: Mapping[str, Any]) -> bool:
        return schema.get("type") == "object" or ("type" not in schema and "properties" in schema)

    def _literal(self, values: list[Any], hint: str) -> Typ:
        if values and all(v is None or isinstance(v, (str, int, bool)) for v in values):
            return Typ(self.alias(_unique_values(values), class_name(hint)))
        kinds = {_json_kind(v) for v in values}
        if len(kinds) == 1 and kinds <= {"float"}:
            return Typ("float")
        return _any("an enum of values Literal cannot hold (numbers with fractions, objects)")

    def _union(self, branches: list[Any], hint: str, how: str) -> Typ:
        types = [self.typ(b, hint) for b in branches]
        if any(t.annotation == ANY for t in types):
            why = next(t.why for t in types if t.annotation == ANY)
            return _any(f"a {how} branch has no Python type ({why})")
        converting = [t for t in types if t.convert is not None]
        if converting and len(types) > 1:
            nullable = [t for t in types if t.annotation != "None"]
            if len(nullable) == 1:  # X or null: convert X when it is there
                only = nullable[0]
                annotation = f"{only.annotation} | None"
                return Typ(
                    annotation,
                    self.helper(f"{hint}_or_none", annotation, f"_or_none({only.convert}, value)"),
                )
            return _any(f"a {how} of objects: which one a value is cannot be told apart")
        seen: list[str] = []
        for t in types:
            for part in _top_level_parts(t.annotation):
                if part not in seen:
                    seen.append(part)
        return Typ(" | ".join(seen))

    def _all_of(self, schema: Mapping[str, Any], hint: str) -> Typ:
        merged = self.merged(schema)
        return (
            self.typ(merged, hint) if merged is not None else _any("an allOf of other than objects")
        )

    def merged(self, schema: Mapping[str, Any], depth: int = 0) -> dict[str, Any] | None:
        """An object schema with its ``allOf`` (and a ``$ref`` in it, followed) folded in:
        properties and required from every branch, branches' own ``allOf`` too.  None when a
        branch is not an object."""
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k not in ("allOf", "$ref")}
        branches = list(schema.get("allOf") or [])
        if "$ref" in schema and str(schema["$ref"]).startswith("#/"):
            branches.insert(0, {"$ref": schema["$ref"]})
        for branch in branches:
            if isinstance(branch, Mapping) and "$ref" in branch:
                branch = self._target(str(branch["$ref"]))
            if isinstance(branch, Mapping) and (branch.get("allOf") or "$ref" in branch):
                branch = self.merged(branch, depth + 1) if depth < 20 else None
            if not isinstance(branch, Mapping) or not (
                self._is_object(branch) or set(branch) <= {"required", "description", "title"}
            ):
                return None
            merged["properties"] = {**branch.get("properties", {}), **merged.get("properties", {})}
            merged["required"] = [*merged.get("required", []), *branch.get("required", [])]
            merged.setdefault("type", "object")
        return merged

    def _target(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            return None
        target: Any = self.document
        for part in ref[2:].split("/"):
            target = target.get(part) if isinstance(target, Mapping) else None
        return target

    def _object(self, schema: Mapping[str, Any], hint: str) -> Typ:
        if _is_secret(schema):
            return Typ("amber.Secret")
        properties = schema.get("properties")
        if isinstance(properties, Mapping) and properties:
            name = self._unique(class_name(hint))
            self._object_class(schema, name, ref=None, hint=hint)
            return _class_typ(name)
        values: list[Any] = []
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping):
            values.append(extra)
        patterns = schema.get("patternProperties")
        if isinstance(patterns, Mapping):
            values.extend(patterns.values())
        if not values:
            return Typ("Mapping[str, Any]")
        types = [self.typ(v, f"{hint}_value") for v in values]
        if len({t.annotation for t in types}) > 1:
            return Typ("Mapping[str, Any]", None, "patternProperties with several value types")
        return self._mapping(types[0], hint)

    def _array(self, schema: Mapping[str, Any], hint: str) -> Typ:
        if "prefixItems" in schema or isinstance(schema.get("items"), list):
            return Typ("tuple[Any, ...]", None, "a tuple of positions (prefixItems)")
        items = schema.get("items")
        item = self.typ(items, f"{hint}_item") if items is not None else _any("")
        annotation = f"tuple[{item.annotation}, ...]"
        if item.convert is None:
            return Typ(annotation, None, item.why)
        expression = f"tuple([{item.convert}(item) for item in value])"
        return Typ(annotation, self.helper(f"{hint}_items", annotation, expression))

    def _mapping(self, value: Typ, hint: str) -> Typ:
        annotation = f"Mapping[str, {value.annotation}]"
        if value.convert is None:
            return Typ(annotation, None, value.why)
        expression = f"MappingProxyType({{k: {value.convert}(item) for k, item in value.items()}})"
        return Typ(annotation, self.helper(f"{hint}_map", annotation, expression))

    def helper(self, hint: str, annotation: str, expression: str) -> str:
        """A generated conversion function's name (one per distinct conversion)."""
        for name, known in self.helpers.items():
            if known == (annotation, expression):
                return name
        base = builder_name(class_name(hint))
        name, count = base, 2
        while name in self.helpers or name in {builder_name(c) for c in self.classes}:
            name, count = f"{base}_{count}", count + 1
        self.helpers[name] = (annotation, expression)
        return name

    def _object_class(
        self,
        schema: Mapping[str, Any],
        name: str,
        ref: str | None,
        root: bool = False,
        hint: str = "",
    ) -> None:
        origin = ref or hint
        definition = ClassDef(name, _doc(schema), origin)
        self.classes[name] = definition
        required = set(schema.get("required", []) or [])
        properties = schema.get("properties") or {}
        attrs = attribute_names([str(key) for key in properties])
        for key in properties:  # schema order: the order the author wrote
            sub = properties[key]
            attr = attrs[str(key)]
            if root and key == "flags":
                self.has_flags = True
                typ = Typ("Flags", "Flags")
            else:
                typ = self.typ(sub, str(key))
            doc = _doc(sub) if isinstance(sub, Mapping) else ""
            definition.fields.append(Field(str(key), attr, typ, key in required, doc))

    def alias(self, values: list[Any], name: str) -> str:
        """The name of the Literal type of ``values``, shared with an equal one of that name."""
        base, count = name, 2
        while (
            (name in self.aliases and self.aliases[name] != values)
            or name in self.classes
            or self._reserved(name)
        ):
            name, count = f"{base}{count}", count + 1
        self.aliases[name] = values
        return name

    def _reserved(self, name: str) -> bool:
        return name in MODULE_NAMES or keyword.iskeyword(name) or name == self.root_name

    def _unique(self, name: str) -> str:
        base, count = name, 2
        while name in self.classes or name in self.aliases or self._reserved(name):
            name, count = f"{base}{count}", count + 1
        return name


def _class_typ(name: str) -> Typ:
    return Typ(name, builder_name(name))


def _top_level_parts(annotation: str) -> list[str]:
    """``A | Mapping[str, B | None]`` -> ``["A", "Mapping[str, B | None]"]``: split on the
    ``|`` outside brackets only."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(annotation):
        depth += (char == "[") - (char == "]")
        if depth == 0 and annotation.startswith(" | ", index):
            parts.append(annotation[start:index])
            start = index + 3
    return [*parts, annotation[start:]]


def _is_secret(schema: Mapping[str, Any]) -> bool:
    properties = schema.get("properties")
    return isinstance(properties, Mapping) and set(properties) == {"$secret"}


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    return type(value).__name__


def _unique_values(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if not any(v == o and type(v) is type(o) for o in out):
            out.append(v)
    return out


def python_literal(value: Any) -> str:
    """A JSON scalar as Python source, strings double-quoted as formatters write them."""
    # ensure_ascii=False: an emoji escaped as \ud83c\udf4e would be two lone surrogates in
    # Python source, not the character.
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)
