"""Build speed at monorepo scale, against the script a team would otherwise write.

For N environments: a cold build, a warm no-op build, a build after touching one environment
and after touching the shared library; the baseline (Debian's `jsonnet` command, then
`check-jsonschema`, per environment, as a shell loop would); go-jsonnet against rjsonnet.
And the pre-commit hook on the reference repository.

Goals (issue 8): warm no-op of 500 environments under 0.5 s; a one-environment change
rebuilds only that environment; a cold build at least 5x faster than the baseline; the hook
under 1 s on the reference repository.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.hook_repo import snapshot

from bench import monorepo
from bench.timing import Table, fmt_time

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def amber(repo: Path, env: dict[str, str], *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [PYTHON, "-m", "amber", *args], cwd=repo, env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"amber {' '.join(args)} failed: {done.stderr[-2000:]}")
    return elapsed, done.stdout


def rebuilt(stdout: str) -> int:
    report = json.loads(stdout)
    return sum(1 for e in report["environments"] if not e["cached"])


def baseline(repo: Path, names: list[str]) -> float | None:
    """Per environment: `jsonnet` to JSON, then `check-jsonschema`, as a shell loop does."""
    jsonnet = shutil.which("jsonnet")
    checker = shutil.which("check-jsonschema") or str(Path(PYTHON).parent / "check-jsonschema")
    if jsonnet is None or not Path(checker).exists():
        return None
    out = repo / "baseline"
    out.mkdir(exist_ok=True)
    schema = repo / "config" / "schema" / "1.0.0.json"
    start = time.perf_counter()
    for name in names:
        target = out / f"{name}.json"
        subprocess.run(
            [
                jsonnet,
                "-J",
                str(repo / "config"),
                "--ext-str",
                f"env={name}",
                "-o",
                str(target),
                str(repo / "environments" / f"{name}.jsonnet"),
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [checker, "--schemafile", str(schema), str(target)], check=True, capture_output=True
        )
    return time.perf_counter() - start


def touch(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new))


def scale_table(sizes: list[int]) -> Table:
    table = Table(
        f"Build: a monorepo of N environments ({os.cpu_count()} cores; -j default: one per core)",
        [
            "N",
            "cold",
            "warm no-op",
            "1 env touched",
            "library touched",
            "baseline (jsonnet + check-jsonschema)",
            "cold vs baseline",
            "cold, rjsonnet",
            "go / rust",
        ],
    )
    for count in sizes:
        with tempfile.TemporaryDirectory(prefix="amber-bench-") as temp:
            repo = Path(temp) / "repo"
            names = monorepo.generate(repo, count)
            env = {**os.environ, "AMBER_CACHE_DIR": str(Path(temp) / "cache")}
            cold, _ = amber(repo, env, "build", "-q")
            warm = min(amber(repo, env, "build", "-q")[0] for _ in range(3))
            first = repo / "environments" / f"{names[0]}.jsonnet"
            touch(first, "burst:", "burst: 1 + ")
            one, report = amber(repo, env, "build", "--format", "json")
            one_rebuilt = rebuilt(report)
            library = repo / "config" / "lib" / "service.libsonnet"
            touch(library, "burst: 200", "burst: 201")
            lib, report = amber(repo, env, "build", "--format", "json")
            lib_rebuilt = rebuilt(report)
            base = baseline(repo, names)
            rust_env = {**env, "AMBER_CACHE_DIR": str(Path(temp) / "cache-rust")}
            rust, _ = amber(repo, rust_env, "build", "-q", "--engine", "rust", "--out", "dist-rust")
            same = all(
                (repo / "dist" / f"{n}.json").read_bytes()
                == (repo / "dist-rust" / f"{n}.json").read_bytes()
                for n in names
            )
            table.add(
                count,
                fmt_time(cold),
                fmt_time(warm),
                f"{fmt_time(one)} ({one_rebuilt} rebuilt)",
                f"{fmt_time(lib)} ({lib_rebuilt} rebuilt)",
                fmt_time(base) if base is not None else "n/a",
                f"{base / cold:.1f}x" if base is not None else "n/a",
                fmt_time(rust) + ("" if same else " (bytes differ!)"),
                f"{cold / rust:.2f}x",
            )
    if shutil.which("jsonnet") is None:
        table.notes.append("baseline skipped: install Debian's jsonnet (apt-get install jsonnet)")
    table.notes.append("each figure is one `python -m amber build` process, start-up included")
    return table


def hook_table() -> Table:
    """`amber check` on the reference repository, as the pre-commit hook runs it."""
    table = Table("Pre-commit hook on the reference repository", ["run", "wall time"])
    with tempfile.TemporaryDirectory(prefix="amber-bench-hook-") as temp:
        repo = Path(temp) / "repo"
        repo.mkdir()
        for part in ("config", "environments", "migrations"):
            shutil.copytree(ROOT / part, repo / part, ignore=shutil.ignore_patterns("__pycache__"))
        (repo / "amber.toml").write_text('engine = "go"\nfractional = "v3"\n')
        env = {**os.environ, "AMBER_CACHE_DIR": str(Path(temp) / "cache")}
        cold, _ = amber(repo, env, "check", "--quiet")
        warm = min(amber(repo, env, "check", "--quiet")[0] for _ in range(5))
        table.add("amber check, cold cache", fmt_time(cold))
        table.add("amber check, warm cache (the hook on an unchanged repo)", fmt_time(warm))
        precommit = pre_commit_run(repo, Path(temp))
        table.add("pre-commit run amber-check --all-files, warm", precommit)
    table.notes.append("goal: under 1 s with a warm cache")
    return table


def pre_commit_run(repo: Path, temp: Path) -> str:
    """The real hook through pre-commit, in a git repo (hook env installed once, then timed)."""
    hooks = temp / "hook-src"
    rev = snapshot(hooks)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: amber-check\n"
    )
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(ROOT / ".venv" / "pre-commit-bench"),
        "AMBER_CACHE_DIR": str(temp / "cache"),
    }
    command = [PYTHON, "-m", "pre_commit", "run", "amber-check", "--all-files"]
    first = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True)
    if first.returncode != 0:
        return f"n/a (pre-commit failed: {first.stdout[-200:]})"
    best = 1e9
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(command, cwd=repo, env=env, capture_output=True, check=True)
        best = min(best, time.perf_counter() - start)
    return fmt_time(best)


def run(quick: bool = False) -> list[Table]:
    return [hook_table(), scale_table([10, 100] if quick else [10, 100, 500])]
