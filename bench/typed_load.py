"""Typed config (issue 15): what building the generated dataclasses costs over a plain load.

The plain `amber.load` parses only the sections an app reads; the typed one builds every
section's objects, so it is compared both with the plain load and with a plain load that reads
every section (`to_dict`).  Sizes: the reference config's prod artifact, and about 1 MB.
"""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

from tests.support.repo import copy_reference
from tests.support.typed import import_module

import amber
from amber.compiler import artifact
from amber.compiler.typed import module_text
from bench.runtime_load import make_config
from bench.timing import Table, best, fmt_time

# The shape `make_config` writes, as a team would describe it.
TENANTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "app": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "timeout": {"type": "integer"}},
            "required": ["name", "timeout"],
        },
        "tenants": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "plan": {"enum": ["free", "team", "enterprise"]},
                    "limits": {
                        "type": "object",
                        "properties": {
                            "rps": {"type": "integer"},
                            "burst": {"type": "integer"},
                            "ratio": {"type": "number"},
                        },
                        "required": ["rps", "burst", "ratio"],
                    },
                    "regions": {"type": "array", "items": {"type": "string"}},
                    "enabled": {"type": "boolean"},
                },
                "required": ["plan", "limits", "regions", "enabled"],
            },
        },
    },
    "required": ["app", "tenants"],
}


def _reference(directory: Path) -> tuple[Path, ModuleType]:
    from amber.compiler.build.pipeline import build
    from amber.compiler.settings import load as load_settings
    from amber.compiler.typed import generate

    repo = copy_reference(directory / "repo")
    settings = load_settings(repo)
    build(settings, ["prod"], repo / "dist")
    return repo / "dist" / "prod.json", import_module(generate(settings), directory)


def _megabyte(directory: Path) -> tuple[Path, ModuleType]:
    path = directory / "1mb.json"
    config = make_config(1_000_000)
    path.write_bytes(artifact.to_bytes(artifact.envelope(config, "bench", "1.0.0", {})))
    return path, import_module(module_text(TENANTS_SCHEMA, "1.0.0"), directory)


def _plain_all(path: Path) -> object:
    return amber.load(path, secrets="lazy").to_dict()


def run(quick: bool = False) -> list[Table]:
    table = Table(
        "Typed config: the generated load against the plain one",
        [
            "artifact",
            "plain load",
            "plain, every section",
            "typed load",
            "typed / plain",
            "typed / every section",
        ],
    )
    with tempfile.TemporaryDirectory() as temp:
        for label, make in (("reference prod", _reference), ("1 MB", _megabyte)):
            directory = Path(temp) / label.replace(" ", "-")
            directory.mkdir()
            path, module = make(directory)
            number = 200 if "reference" in label else 3
            plain = best(partial(amber.load, path, secrets="lazy"), 5, number)
            every = best(partial(_plain_all, path), 5, number)
            typed = best(partial(module.load, path, secrets="lazy"), 5, number)
            size = f"{label} ({path.stat().st_size / 1e3:.0f} KB)"
            ratios = (f"{typed / plain:.1f}x", f"{typed / every:.2f}x")
            table.add(size, fmt_time(plain), fmt_time(every), fmt_time(typed), *ratios)
    table.notes.append(
        "plain load parses only what is read; a typed load builds every section's objects "
        "with generated code (no introspection), so it compares with reading every section."
    )
    return [table]
