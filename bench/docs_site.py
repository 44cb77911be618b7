"""How long `amber docs` takes, beside the `amber build` it starts with.

The site compiles every environment (through the build cache), then measures each flag over
10,000 synthetic users per distinct definition and writes the pages.  Baseline: `amber build`
of the same repository in the same state, so the ratio is what the site costs on top of the
compile a CI job runs anyway.  Cold = empty build cache; warm = the cache filled by a build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.repo import copy_reference

from bench import monorepo
from bench.timing import Table, fmt_time


def _timed(repo: Path, env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "amber", *args], cwd=repo, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"amber {' '.join(args)} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - start


def _measure(repo: Path, cache: Path) -> tuple[float, float, float, float, int]:
    env = {**os.environ, "AMBER_CACHE_DIR": str(cache)}
    shutil.rmtree(cache, ignore_errors=True)
    cold_build = _timed(repo, env, "build", "-q")
    shutil.rmtree(cache, ignore_errors=True)
    cold_docs = _timed(repo, env, "docs", "-q", "--out", "site")
    warm_build = min(_timed(repo, env, "build", "-q") for _ in range(3))
    warm_docs = min(_timed(repo, env, "docs", "-q", "--out", "site") for _ in range(3))
    size = sum(p.stat().st_size for p in (repo / "site").iterdir())
    return cold_build, cold_docs, warm_build, warm_docs, size


def run(quick: bool = False) -> list[Table]:
    table = Table(
        "Docs site: amber docs against amber build of the same repository",
        ["repository", "build cold", "docs cold", "ratio", "build warm", "docs warm", "ratio"],
    )
    with tempfile.TemporaryDirectory() as temp:
        reference = copy_reference(Path(temp) / "reference")
        many = Path(temp) / "many"
        count = 20 if quick else 200
        monorepo.generate(many, count)
        for label, repo in (("reference (3 envs, 4 flags)", reference), (f"{count} envs", many)):
            cb, cd, wb, wd, size = _measure(repo, Path(temp) / f"cache-{repo.name}")
            name = f"{label}, site {size / 1e6:.1f} MB"
            table.add(
                name,
                fmt_time(cb),
                fmt_time(cd),
                f"{cd / cb:.2f}x",
                fmt_time(wb),
                fmt_time(wd),
                f"{wd / wb:.2f}x",
            )
    table.notes.append(
        "each figure is a whole `amber` process (interpreter start included); warm = best of 3."
    )
    return [table]


if __name__ == "__main__":
    for found in run(quick="--quick" in sys.argv):
        print(found.render())
