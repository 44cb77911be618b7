"""A synthetic config monorepo: N environments (regions x tiers x cells) sharing a library.

Each environment is a small overlay on a shared service library that does some real Jsonnet
work (a generated routing table, folds over it), so evaluation is not free.
"""

from __future__ import annotations

import json
from pathlib import Path

LIBRARY = """\
// The shared service library: every environment is `service(name, region, tier)`.
local shards(n, region) = [
  { id: i, region: region, weight: (i * 7919) % 100, replicas: 1 + (i % 5) }
  for i in std.range(0, n - 1)
];

function(name, region, tier) {
  local table = shards(if tier == 'gold' then 400 else 200, region),
  name: name,
  region: region,
  tier: tier,
  replicas: std.foldl(function(acc, s) acc + s.replicas, table, 0),
  heaviest: std.foldl(function(acc, s) if s.weight > acc.weight then s else acc, table, table[0]),
  routes: {
    [std.format('shard-%03d', s.id)]: { weight: s.weight, replicas: s.replicas }
    for s in table
    if s.weight > 90
  },
  limits: { rps: if tier == 'gold' then 5000 else 1000, burst: 200 },
  features: { search: true, beta: tier != 'gold' },
}
"""

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z0-9-]+$"},
        "region": {"enum": ["eu", "us", "ap", "sa", "af"]},
        "tier": {"enum": ["gold", "silver", "bronze"]},
        "replicas": {"type": "integer", "minimum": 1},
        "heaviest": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "region": {"type": "string"},
                "weight": {"type": "integer", "minimum": 0, "maximum": 100},
                "replicas": {"type": "integer", "minimum": 1},
            },
            "required": ["id", "region", "weight", "replicas"],
            "additionalProperties": False,
        },
        "routes": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "weight": {"type": "integer", "minimum": 0, "maximum": 100},
                    "replicas": {"type": "integer", "minimum": 1},
                },
                "required": ["weight", "replicas"],
                "additionalProperties": False,
            },
        },
        "limits": {
            "type": "object",
            "properties": {
                "rps": {"type": "integer", "minimum": 1},
                "burst": {"type": "integer", "minimum": 1},
            },
            "required": ["rps", "burst"],
            "additionalProperties": False,
        },
        "features": {"type": "object", "additionalProperties": {"type": "boolean"}},
    },
    "required": ["name", "region", "tier", "replicas", "heaviest", "routes", "limits", "features"],
    "additionalProperties": False,
}

REGIONS = ["eu", "us", "ap", "sa", "af"]
TIERS = ["gold", "silver", "bronze"]


def environment(index: int) -> tuple[str, str]:
    region, tier = REGIONS[index % len(REGIONS)], TIERS[(index // len(REGIONS)) % len(TIERS)]
    name = f"{region}-{tier}-{index:04d}"
    source = (
        "local service = import 'lib/service.libsonnet';\n\n"
        f"service('{name}', '{region}', '{tier}') + {{\n"
        f"  limits+: {{ burst: {100 + index % 50} }},\n"
        "}\n"
    )
    return name, source


def generate(root: Path, count: int) -> list[str]:
    """Write a repository with ``count`` environments; their names."""
    (root / "config" / "lib").mkdir(parents=True)
    (root / "config" / "schema").mkdir(parents=True)
    (root / "environments").mkdir()
    (root / "config" / "lib" / "service.libsonnet").write_text(LIBRARY)
    (root / "config" / "schema" / "1.0.0.json").write_text(json.dumps(SCHEMA, indent=2))
    (root / "amber.toml").write_text('engine = "go"\n')
    names = []
    for index in range(count):
        name, source = environment(index)
        (root / "environments" / f"{name}.jsonnet").write_text(source)
        names.append(name)
    return names
