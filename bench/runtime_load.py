"""Runtime: `amber.load` plus one value, and reading every value, against json and orjson.

Goal (issue 3): opening an artifact and reading one value does not grow with the parts an app
does not read, and reading everything stays within 1.5x of `orjson.loads`.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

import orjson

import amber
from amber.compiler import artifact
from bench.timing import Table, best, fmt_time

SIZES = {"10 KB": 10_000, "1 MB": 1_000_000, "10 MB": 10_000_000, "50 MB": 50_000_000}


def make_config(target_bytes: int) -> dict[str, object]:
    """A small `app` section, and `tenants` grown to about ``target_bytes``."""
    tenant_size = 150  # bytes per tenant, roughly
    count = max(1, target_bytes // tenant_size)
    tenants = {
        f"tenant-{i:07d}": {
            "plan": ("free", "team", "enterprise")[i % 3],
            "limits": {"rps": i % 1000, "burst": (i * 7) % 500, "ratio": round(i / 7, 3)},
            "regions": ["eu", "us"][: 1 + i % 2],
            "enabled": i % 5 != 0,
        }
        for i in range(count)
    }
    return {"app": {"name": "learnapp", "timeout": 30}, "tenants": tenants}


def write(directory: Path, label: str, size: int) -> Path:
    config = make_config(size)
    envelope = artifact.envelope(config, "bench", "1.0.0", {"compiler": "bench"})
    path = directory / f"{label.replace(' ', '')}.json"
    path.write_bytes(artifact.to_bytes(envelope))
    return path


def walk(value: object) -> int:
    """Read every value; the same code for plain dicts and for Amber's views."""
    count = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        else:
            count += 1
    return count


def amber_one(path: Path) -> object:
    return amber.load(path)["app"]["name"]


def read_all(load: Callable[[Path], object], path: Path) -> int:
    return walk(load(path))


def json_loads(path: Path) -> object:
    with open(path) as handle:
        return json.loads(handle.read())


def orjson_loads(path: Path) -> object:
    with open(path, "rb") as handle:
        return orjson.loads(handle.read())


def orjson_loads_gc_off(path: Path) -> object:
    gc.disable()
    try:
        return orjson_loads(path)
    finally:
        gc.enable()


def import_time() -> str:
    """`python -X importtime -c "import amber"`: cumulative microseconds of `amber`."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import amber"],
        capture_output=True,
        text=True,
        check=True,
    )
    for line in done.stderr.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2] == "amber":
            return f"{int(parts[1]) / 1000:.1f} ms"
    return "?"


def run(quick: bool = False) -> list[Table]:
    sizes = {k: v for k, v in SIZES.items() if not quick or v <= 10_000_000}
    one = Table(
        "Runtime: open an artifact and read one value",
        ["artifact", "amber.load + 1 value", "json.loads", "orjson.loads", "json / amber"],
    )
    full = Table(
        "Runtime: parse and read every value",
        ["artifact", "values", "amber", "json", "orjson", "orjson (gc off)", "amber / orjson"],
    )
    with tempfile.TemporaryDirectory() as temp:
        for label, size in sizes.items():
            path = write(Path(temp), label, size)
            actual = f"{label} ({path.stat().st_size / 1e6:.2f} MB)"
            repeat = 5 if size <= 10_000_000 else 3

            t_one = best(partial(amber_one, path), repeat, number=50 if size < 1e6 else 1)
            t_json = best(partial(json_loads, path), repeat)
            t_orjson = best(partial(orjson_loads, path), repeat)
            one.add(
                actual,
                fmt_time(t_one),
                fmt_time(t_json),
                fmt_time(t_orjson),
                f"{t_json / t_one:.0f}x",
            )

            values = walk(orjson_loads(path))
            t_amber_all = best(partial(read_all, amber.load, path), repeat)
            t_json_all = best(partial(read_all, json_loads, path), repeat)
            t_orjson_all = best(partial(read_all, orjson_loads, path), repeat)
            t_orjson_off = best(partial(read_all, orjson_loads_gc_off, path), repeat)
            full.add(
                actual,
                values,
                fmt_time(t_amber_all),
                fmt_time(t_json_all),
                fmt_time(t_orjson_all),
                fmt_time(t_orjson_off),
                f"{t_amber_all / t_orjson_all:.2f}x",
            )
    one.notes.append(
        "amber.load hashes the whole config (sha256, about 0.6 ms/MB) and parses only the "
        "section read; the baselines parse everything."
    )
    full.notes.append(f"import amber: {import_time()} (python -X importtime)")
    return [one, full]
