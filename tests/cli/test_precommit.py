"""Amber's pre-commit hook, run by the real pre-commit in a temporary git repository.

The hook repository is a git snapshot of this checkout (what a consumer's pre-commit clones);
the config repository is a copy of the reference config with the hook installed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support.hook_repo import snapshot
from tests.support.repo import ROOT, clean_env, copy_reference

pytestmark = pytest.mark.xdist_group("pre-commit")  # one hook install per run

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("amber-hook")
    return path, snapshot(path)


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return clean_env(PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")))


@pytest.fixture
def config_repo(tmp_path: Path, hook_repo: tuple[Path, str], hook_env: dict[str, str]) -> Path:
    repo = copy_reference(tmp_path / "config-repo")
    path, rev = hook_repo
    config = {"repos": [{"repo": str(path), "rev": rev, "hooks": [{"id": "amber-check"}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(repo, "init", "-q")
    subprocess.run(
        [*PRE_COMMIT, "install"], cwd=repo, env=hook_env, check=True, capture_output=True
    )
    return repo


def commit(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    git(repo, "add", "-A")
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "change"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new))


def test_a_valid_commit_passes(config_repo: Path, hook_env: dict[str, str]) -> None:
    done = commit(config_repo, hook_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "amber check" in done.stdout + done.stderr and "Passed" in done.stdout + done.stderr


BAD_EDITS = {
    "a rule": (
        "environments/prod.jsonnet",
        "batch_size: 500",
        "batch_size: 900",
        "environments/prod.jsonnet:5: error: prod spaced_repetition.batch_size: batch_size 900 is over 500",
    ),
    "a type": (
        "config/lib/base.libsonnet",
        "max_session_size: 50,",
        "max_session_size: 'fifty',",
        "config/lib/base.libsonnet:32: error: dev interleaving.max_session_size: 'fifty' is not of type 'integer'",
    ),
    "the migration chain": (
        "migrations/0002_flags.py",
        'FROM = "1.1.0"',
        'FROM = "1.0.0"',
        "migrations/0002_flags.py: error: two migrations start at 1.0.0",
    ),
    "Jsonnet syntax": (
        "environments/staging.jsonnet",
        "spaced_repetition+: { batch_size: 200 },",
        "spaced_repetition+: { batch_size: 200 ",
        "environments/staging.jsonnet:6:3: error: staging: Expected a comma before next field",
    ),
}


@pytest.mark.parametrize("what", list(BAD_EDITS))
def test_a_bad_edit_is_rejected_with_a_precise_message(
    config_repo: Path, hook_env: dict[str, str], what: str
) -> None:
    assert commit(config_repo, hook_env).returncode == 0
    rel, old, new, expected = BAD_EDITS[what]
    edit(config_repo, rel, old, new)
    done = commit(config_repo, hook_env)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "amber check" in output and "Failed" in output
    assert expected in output
    assert git(config_repo, "log", "--oneline").stdout.count("\n") == 1  # nothing committed


def test_hook_dependencies_are_the_compiler_extra() -> None:
    import tomllib

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    check, types = hooks
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["compiler"]
    for hook in hooks:
        assert hook["additional_dependencies"] == extra
        assert hook["pass_filenames"] is False and hook["require_serial"] is True
    assert check["entry"].startswith("amber check")
    assert types["entry"] == "amber types --check"


def test_the_types_hook_refuses_a_stale_module(
    tmp_path: Path, hook_repo: tuple[Path, str], hook_env: dict[str, str]
) -> None:
    repo = copy_reference(tmp_path / "typed-repo")
    path, rev = hook_repo
    hook = {"id": "amber-types", "args": ["app/config_types.py"]}
    config = {"repos": [{"repo": str(path), "rev": rev, "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(repo, "init", "-q")
    subprocess.run(
        [*PRE_COMMIT, "install"], cwd=repo, env=hook_env, check=True, capture_output=True
    )
    subprocess.run(
        [sys.executable, "-m", "amber", "types", "-o", "app/config_types.py"],
        cwd=repo,
        env=hook_env,
        check=True,
    )
    done = commit(repo, hook_env)
    assert done.returncode == 0, done.stdout + done.stderr
    edit(
        repo,
        "config/schema/1.2.0.json",
        "How many due cards the scheduler loads per request.",
        "Cards per review batch.",
    )
    done = commit(repo, hook_env)
    output = done.stdout + done.stderr
    assert done.returncode != 0 and "Failed" in output
    assert (
        "app/config_types.py: error: out of date with the schema and the compiled flags "
        "(first difference at line" in output
    )
    assert "regenerate with `amber types -o app/config_types.py`" in output
