"""The build cache is complete: change any input, one at a time, and the result is rebuilt.

And parallel builds give the bytes serial builds give.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.repo import amber, clean_env, copy_reference


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return clean_env(AMBER_CACHE_DIR=str(tmp_path / "cache"))


def build(repo: Path, env: dict[str, str], *args: str, check: int = 0) -> dict[str, bool]:
    """Build; which environments came from the cache."""
    report = json.loads(
        amber("build", "--format", "json", *args, cwd=repo, env=env, check=check).out
    )
    return {e["environment"]: e["cached"] for e in report["environments"]}


def artifacts(repo: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((repo / "dist").iterdir())}


def fresh(repo: Path, env: dict[str, str], *args: str) -> dict[str, bytes]:
    """What a build without the cache writes, in a copy of the repo."""
    copy = repo.parent / "fresh"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns("dist"))
    amber("build", "--no-cache", "-q", *args, cwd=copy, env=env, check=0)
    return artifacts(copy)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


CHANGES: dict[str, tuple[Callable[[Path], None], set[str]]] = {
    "an environment file": (
        lambda r: edit(r / "environments/prod.jsonnet", "batch_size: 500", "batch_size: 450"),
        {"prod"},
    ),
    "the shared library": (
        lambda r: edit(
            r / "config/lib/base.libsonnet", "max_interval_days: 365", "max_interval_days: 300"
        ),
        {"dev", "prod", "staging"},
    ),
    "the flags library": (
        lambda r: edit(
            r / "config/lib/flags.libsonnet", "adaptive_rollout:: 10", "adaptive_rollout:: 15"
        ),
        {"dev", "prod", "staging"},  # every environment reads it, through base.libsonnet
    ),
    "a new file that shadows an import": (
        lambda r: (
            (r / "environments/lib").mkdir()
            or (r / "environments/lib/base.libsonnet").write_text(
                (r / "config/lib/base.libsonnet")
                .read_text()
                .replace("max_interval_days: 365", "max_interval_days: 200")
            )
        ),
        {"dev", "prod", "staging"},
    ),
    "the schema": (
        lambda r: edit(r / "config/schema/1.2.0.json", '"maximum": 3650', '"maximum": 3000'),
        {"dev", "prod", "staging"},
    ),
    "the rules": (
        lambda r: edit(r / "config/rules.py", "cannot keep up", "can not keep up"),
        {"dev", "prod", "staging"},
    ),
    "an ext var": (
        lambda r: (r / "amber.toml").write_text('[ext_vars]\nregion = "eu"\n'),
        {"dev", "prod", "staging"},
    ),
    "the engine": (
        lambda r: (r / "amber.toml").write_text('engine = "rust"\n'),
        {"dev", "prod", "staging"},
    ),
    "the flag bucketing": (
        lambda r: (r / "amber.toml").write_text('fractional = "v2"\n'),
        {"dev", "prod", "staging"},
    ),
    "the stack limit": (
        lambda r: (r / "amber.toml").write_text("max_stack = 400\n"),
        {"dev", "prod", "staging"},
    ),
}


@pytest.mark.parametrize("what", list(CHANGES))
def test_each_input_invalidates_what_read_it(
    tmp_path: Path, env: dict[str, str], what: str
) -> None:
    repo = copy_reference(tmp_path / "repo")
    assert build(repo, env) == {"dev": False, "prod": False, "staging": False}
    assert build(repo, env) == {"dev": True, "prod": True, "staging": True}
    change, rebuilt = CHANGES[what]
    change(repo)
    cached = build(repo, env)
    assert {name for name, hit in cached.items() if not hit} == rebuilt  # and only those
    assert artifacts(repo) == fresh(repo, env)


def prod_reads_only(repo: Path, name: str) -> Path:
    """A library file that prod imports and no other environment does."""
    edit(
        repo / "environments/prod.jsonnet",
        "local base = import 'lib/base.libsonnet';",
        f"local base = import 'lib/base.libsonnet';\nlocal limits = import 'lib/{name}';",
    )
    edit(repo / "environments/prod.jsonnet", "max_retries: 5", "max_retries: limits.retries")
    return repo / "config/lib" / name


def test_a_file_one_environment_reads_rebuilds_only_that_one(
    tmp_path: Path, env: dict[str, str]
) -> None:
    repo = copy_reference(tmp_path / "repo")
    limits = prod_reads_only(repo, "limits.libsonnet")
    limits.write_text("{ retries: 5 }\n")
    build(repo, env)
    limits.write_text("{ retries: 4 }\n")
    assert build(repo, env) == {"dev": True, "prod": False, "staging": True}
    assert (
        json.loads((repo / "dist/prod.json").read_bytes())["config"]["ai_provider"]["max_retries"]
        == 4
    )
    assert artifacts(repo) == fresh(repo, env)


def test_swapping_a_symlink_rebuilds_what_read_through_it(
    tmp_path: Path, env: dict[str, str]
) -> None:
    repo = copy_reference(tmp_path / "repo")
    link = prod_reads_only(repo, "limits.libsonnet")
    (repo / "config/lib/calm.libsonnet").write_text("{ retries: 5 }\n")
    (repo / "config/lib/eager.libsonnet").write_text("{ retries: 2 }\n")
    link.symlink_to("calm.libsonnet")
    build(repo, env)
    assert build(repo, env) == {"dev": True, "prod": True, "staging": True}
    link.unlink()
    link.symlink_to("eager.libsonnet")  # the link's own name and the files are unchanged
    assert build(repo, env) == {"dev": True, "prod": False, "staging": True}
    assert (
        json.loads((repo / "dist/prod.json").read_bytes())["config"]["ai_provider"]["max_retries"]
        == 2
    )


@pytest.mark.parametrize("module", ["limits", "checks.limits"])  # a namespace package too
def test_a_helper_module_of_the_rules_is_an_input(
    tmp_path: Path, env: dict[str, str], module: str
) -> None:
    repo = copy_reference(tmp_path / "repo")
    helper = repo / "config" / (module.replace(".", "/") + ".py")
    helper.parent.mkdir(exist_ok=True)
    helper.write_text("BATCH = 500\n")
    edit(repo / "config/rules.py", "        size <= 500\n", "        size <= BATCH\n")
    with (repo / "config/rules.py").open("a") as rules_file:
        rules_file.write(f"\nfrom {module} import BATCH  # noqa: E402\n")
    assert build(repo, env) == {"dev": False, "prod": False, "staging": False}
    assert build(repo, env) == {"dev": True, "prod": True, "staging": True}
    provenance = json.loads((repo / "dist/prod.json").read_bytes())["provenance"]
    assert helper.relative_to(repo).as_posix() in provenance["inputs"]
    helper.write_text("BATCH = 300\n")  # prod's 500 is now too big
    done = amber("build", "--format", "json", cwd=repo, env=env, check=1)
    report = json.loads(done.out)
    assert {e["environment"]: e["cached"] for e in report["environments"]} == {
        "dev": False,
        "prod": False,
        "staging": False,
    }
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert [(d["environment"], d["code"]) for d in errors] == [("prod", "batch_size_at_most_500")]
    # an unrelated Python file beside the rules changes nothing
    (repo / "config/notes.py").write_text("X = 1\n")
    helper.write_text("BATCH = 500\n")
    build(repo, env)
    (repo / "config/notes.py").write_text("X = 2\n")
    assert build(repo, env) == {"dev": True, "prod": True, "staging": True}


def test_a_cache_hit_gives_the_bytes_of_a_fresh_build(tmp_path: Path, env: dict[str, str]) -> None:
    repo = copy_reference(tmp_path / "repo")
    build(repo, env, "--version", "1.0.0")
    assert build(repo, env, "--version", "1.0.0") == {"dev": True, "prod": True, "staging": True}
    assert artifacts(repo) == fresh(repo, env, "--version", "1.0.0")
    # a migration is an input of the artifacts it helps write
    edit(repo / "migrations/0001_ai_provider.py", '"max_retries": 3,', '"max_retries": 2,')
    assert build(repo, env, "--version", "1.0.0") == {"dev": False, "prod": False, "staging": False}
    # asking for another version is a different build
    assert set(build(repo, env).values()) == {False}


def test_failures_are_cached_and_fixing_them_rebuilds(tmp_path: Path, env: dict[str, str]) -> None:
    repo = copy_reference(tmp_path / "repo")
    prod = repo / "environments/prod.jsonnet"
    edit(
        prod,
        "local base = import 'lib/base.libsonnet';",
        "local base = import 'lib/basis.libsonnet';",
    )
    first = amber("check", cwd=repo, env=env, check=1).err
    again = amber("check", cwd=repo, env=env, check=1).err
    assert first == again and "import not found: lib/basis.libsonnet" in again
    # creating the file it looked for is a change too
    shutil.copy(repo / "config/lib/base.libsonnet", repo / "config/lib/basis.libsonnet")
    amber("check", "-q", cwd=repo, env=env, check=0)


def test_no_cache_neither_reads_nor_writes(tmp_path: Path, env: dict[str, str]) -> None:
    repo = copy_reference(tmp_path / "repo")
    assert build(repo, env, "--no-cache") == {"dev": False, "prod": False, "staging": False}
    assert not (tmp_path / "cache").exists()


def test_parallel_builds_are_byte_identical_to_serial(tmp_path: Path, env: dict[str, str]) -> None:
    repo = copy_reference(tmp_path / "repo")
    for region in ("eu", "us", "ap", "sa", "af"):
        shutil.copy(
            repo / "environments/prod.jsonnet", repo / f"environments/prod-{region}.jsonnet"
        )
    amber("build", "--no-cache", "-j", "1", "-q", cwd=repo, env=env, check=0)
    serial = artifacts(repo)
    shutil.rmtree(repo / "dist")
    amber("build", "--no-cache", "-j", "4", "-q", cwd=repo, env=env, check=0)
    assert artifacts(repo) == serial
    assert len(serial) == 8


def test_progress_shows_on_a_terminal_only(tmp_path: Path, env: dict[str, str]) -> None:
    import os
    import pty
    import subprocess
    import sys

    repo = copy_reference(tmp_path / "repo")
    for n in range(9):
        shutil.copy(repo / "environments/dev.jsonnet", repo / f"environments/dev-{n}.jsonnet")
    main, follower = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "amber", "build", "--no-cache"],
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=follower,
        check=True,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert b"compiled 12/12" in shown  # on a terminal: a counter
    assert b"built dev-8" in done.stdout
    quiet = amber("build", "--no-cache", cwd=repo, env=env, check=0)
    assert "compiled " not in quiet.err  # not a terminal (CI): no counter
