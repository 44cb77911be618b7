"""`amber flags`: every flag of an environment, and a rollout simulated over a population and
against a git revision, through the real CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.support.repo import amber, copy_reference


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        capture_output=True,
        check=True,
    )


def test_listing(repo: Path) -> None:
    text = amber("flags", "prod", cwd=repo, check=0).out.splitlines()
    assert text[:2] == [
        "adaptive_learning  boolean  ENABLED  variants: off, on  default: off",
        "    targetingKey in [admin@learnapp.example, beta-tester-1, beta-tester-2]: on; "
        "everyone else: 10% on, 90% off",
    ]
    assert "new_scheduler  boolean  DISABLED  variants: off, on  default: off" in text
    listed = json.loads(amber("flags", "prod", "--format", "json", cwd=repo, check=0).out)
    assert listed["environment"] == "prod"
    rows = {row["key"]: row for row in listed["flags"]}
    assert list(rows) == ["adaptive_learning", "ai_hints", "diagnostic_flow", "new_scheduler"]
    assert rows["diagnostic_flow"] == {
        "key": "diagnostic_flow",
        "type": "string",
        "state": "ENABLED",
        "variants": ["adaptive", "classic", "short"],
        "default": "classic",
        "targeting": "25% adaptive, 50% classic, 25% short",
    }
    assert rows["ai_hints"]["targeting"] == "app_version >= 2.4.0: on; everyone else: off"
    amber("build", "dev", "-q", cwd=repo, check=0)
    from_file = json.loads(amber("flags", "dist/dev.json", "--format", "json", cwd=repo).out)
    assert from_file["environment"] == "dev" and len(from_file["flags"]) == 4


def test_simulation_over_synthetic_users_and_a_key_file(repo: Path) -> None:
    text = amber(
        "flags", "prod", "adaptive_learning", "--simulate", "10000", cwd=repo, check=0
    ).out.splitlines()
    assert text[0] == "adaptive_learning in prod, 10,000 users:"
    simulated = json.loads(
        amber(
            "flags",
            "prod",
            "diagnostic_flow",
            "--simulate",
            "10000",
            "--format",
            "json",
            cwd=repo,
            check=0,
        ).out
    )
    shares = {v: s["percent"] for v, s in simulated["variants"].items()}
    assert simulated["users"] == 10_000 and set(shares) == {"adaptive", "classic", "short"}
    assert shares["classic"] == pytest.approx(50, abs=2)
    assert shares["short"] == pytest.approx(25, abs=2)
    keys = repo / "keys.txt"
    keys.write_text("admin@learnapp.example\nbeta-tester-1\nbeta-tester-2\n")
    listed = json.loads(
        amber(
            "flags",
            "prod",
            "adaptive_learning",
            "--keys",
            str(keys),
            "--format",
            "json",
            cwd=repo,
            check=0,
        ).out
    )
    assert listed["variants"] == {"on": {"users": 3, "percent": 100.0}}
    # the other attributes come from --context: only app versions from 2.4.0 see hints
    old_app = json.loads(
        amber(
            "flags",
            "prod",
            "ai_hints",
            "--simulate",
            "50",
            "--context",
            '{"app_version": "2.3.9"}',
            "--format",
            "json",
            cwd=repo,
            check=0,
        ).out
    )
    assert old_app["variants"] == {"off": {"users": 50, "percent": 100.0}}


def test_a_rollout_from_10_to_20_percent_against_the_last_commit(tmp_path: Path) -> None:
    repo = copy_reference(tmp_path / "repo")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    flags = repo / "config" / "lib" / "flags.libsonnet"
    flags.write_text(flags.read_text().replace("adaptive_rollout:: 10,", "adaptive_rollout:: 20,"))
    args = ("flags", "prod", "adaptive_learning", "--simulate", "10000", "--against", "HEAD")
    report = json.loads(amber(*args, "--format", "json", cwd=repo, check=0).out)
    moved = report["against"]
    assert moved["ref"] == "HEAD" and 900 <= moved["moved"] <= 1_100
    assert moved["moves"] == [{"from": "off", "to": "on", "users": moved["moved"]}]
    assert 1_900 <= report["variants"]["on"]["users"] <= 2_100
    text = amber(*args, cwd=repo, check=0).out.splitlines()
    assert text[-1] == (
        f"against HEAD: {moved['moved']:,} of 10,000 users change variant: "
        f"off -> on {moved['moved']:,}"
    )
    # staging pins its own rollout, so nobody there moves
    unmoved = amber(
        "flags", "staging", "adaptive_learning", "--simulate", "1000", "--against", "HEAD", cwd=repo
    )
    assert unmoved.out.splitlines()[-1] == "against HEAD: none of 1,000 users change variant"


def test_mistakes_are_usage_errors(repo: Path) -> None:
    assert "need a FLAG" in amber("flags", "prod", "--simulate", "5", cwd=repo, check=2).err
    missing = amber("flags", "prod", "nope", "--simulate", "5", cwd=repo, check=2)
    assert "no flag 'nope' in prod" in missing.err
    empty = repo / "empty.txt"
    empty.write_text("\n")
    assert (
        f"{empty}: error: no targeting keys in the file"
        in amber("flags", "prod", "ai_hints", "--keys", str(empty), cwd=repo, check=2).err
    )
    outside_git = amber(
        "flags", "prod", "ai_hints", "--simulate", "5", "--against", "HEAD", cwd=repo, check=2
    )
    assert "git" in outside_git.err
