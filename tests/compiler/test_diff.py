"""`amber diff`: by JSON path, flags in their own terms, git revisions left untouched."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from amber.compiler.diff import compare as diff
from amber.compiler.diff import render
from tests.support.repo import amber, copy_reference

FLAG = {
    "state": "ENABLED",
    "variants": {"on": True, "off": False},
    "defaultVariant": "off",
    "targeting": {
        "if": [
            {"in": [{"var": "targetingKey"}, ["a", "b"]]},
            "on",
            {"fractional": [["on", 10], ["off", 90]]},
        ]
    },
}


def artifact(
    config: dict[str, object], version: str = "1.2.0", fractional: str = "v3"
) -> dict[str, object]:
    return {
        "config": config,
        "schema_version": version,
        "provenance": {"flags": {"fractional": fractional}},
    }


def notes(old: dict[str, object], new: dict[str, object]) -> list[str]:
    return [render._line(c) for c in diff.diff_artifacts(artifact(old), artifact(new), "x").changes]


def test_tree_changes_by_path() -> None:
    old = {"a": {"b": 1, "c": [1, 2], "gone": True}, "key": {"$secret": "env:OLD"}}
    new = {"a": {"b": 2, "c": [1, 2], "new": "x"}, "key": {"$secret": "env:NEW"}}
    assert notes(old, new) == [
        "~ a.b: 1 -> 2",
        "- a.gone: true",
        '+ a.new: "x"',
        '~ key: "<secret env:OLD>" -> "<secret env:NEW>"',
    ]


def test_flag_changes_in_their_own_terms() -> None:
    wider = json.loads(json.dumps(FLAG))
    wider["targeting"]["if"][2]["fractional"] = [["on", 20], ["off", 80]]
    wider["targeting"]["if"][0]["in"][1] = ["a", "b", "c", "d"]
    assert notes({"flags": {"f": FLAG}}, {"flags": {"f": wider}}) == [
        "* flags.f: rollout on 10% -> 20%, off 90% -> 80%; "
        "simulated: 1,021 of 10,000 users change variant: off -> on 1,021",
        "* flags.f: targetingKey list grew by 2 (+c, +d)",
    ]
    off = {**FLAG, "state": "DISABLED", "defaultVariant": "on"}
    assert notes({"flags": {"f": FLAG}}, {"flags": {"f": off}}) == [
        "* flags.f: state ENABLED -> DISABLED; simulated: 10,000 of 10,000 users change "
        "variant: off -> (default) 9,022, on -> (default) 978",
        "* flags.f: default variant off -> on",
    ]
    assert notes({"flags": {}}, {"flags": {"g": FLAG}}) == [
        "* flags.g: flag added (ENABLED, default off)"
    ]
    assert notes({"flags": {"g": FLAG}}, {"flags": {}}) == ["* flags.g: flag removed"]
    other = {**FLAG, "targeting": {"if": [{"==": [{"var": "tier"}, "gold"]}, "on", None]}}
    assert notes({"flags": {"f": FLAG}}, {"flags": {"f": other}}) == [
        "* flags.f: targeting changed; simulated: 978 of 10,000 users change variant: on -> off 978"
    ]


def test_envelope_changes_are_called_out() -> None:
    changes = diff.diff_artifacts(
        artifact({}, "1.1.0", "v2"), artifact({}, "1.2.0", "v3"), "x"
    ).changes
    assert [render._line(c) for c in changes] == [
        "! schema_version: 1.1.0 -> 1.2.0 (schema version changed)",
        "! provenance.flags.fractional: v2 -> v3 (flag bucketing changed: most users move to other buckets)",
    ]


def test_integral_floats_are_not_changes() -> None:
    assert notes({"a": 1}, {"a": 1.0}) == []


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def history(tmp_path: Path) -> Path:
    repo = copy_reference(tmp_path / "repo")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    git(repo, "tag", "base")
    flags = repo / "config" / "lib" / "flags.libsonnet"
    flags.write_text(flags.read_text().replace("adaptive_rollout:: 10,", "adaptive_rollout:: 20,"))
    prod = repo / "environments" / "prod.jsonnet"
    prod.write_text(prod.read_text().replace("batch_size: 500", "batch_size: 400"))
    return repo


def fingerprint(repo: Path) -> tuple[str, str, str]:
    index = hashlib.sha256((repo / ".git" / "index").read_bytes()).hexdigest()
    return git(repo, "status", "--porcelain"), index, git(repo, "stash", "list")


def test_reviewer_diff_against_a_revision(history: Path) -> None:
    before = fingerprint(history)
    run = amber("diff", "prod@base", "prod", cwd=history, check=1)
    assert run.out.splitlines() == [
        "prod@base -> prod: 2 changes",
        "  * flags.adaptive_learning: rollout on 10% -> 20%, off 90% -> 80%; "
        "simulated: 1,016 of 10,000 users change variant: off -> on 1,016",
        "  ~ spaced_repetition.batch_size: 500 -> 400",
    ]
    assert fingerprint(history) == before  # working tree, index and stash untouched
    amber("diff", "prod@base", "prod@HEAD", cwd=history, check=0)
    amber("diff", "dev", "dev@base", cwd=history, check=0)


def test_every_changed_environment_for_ci(history: Path) -> None:
    markdown = amber("diff", "--all", "base", "--format", "markdown", cwd=history, check=1).out
    # staging sets its own rollout, so raising the shared one changes prod alone
    assert markdown.startswith("**amber diff**: 1 environment changed.")
    assert "#### `prod`" in markdown and "staging" not in markdown and "dev" not in markdown
    assert "| ~ | `spaced_repetition.batch_size` | `500` | `400` |" in markdown
    report = json.loads(
        amber("diff", "--all", "base", "--format", "json", cwd=history, check=1).out
    )
    assert [(e["label"], e["equal"]) for e in report["environments"]] == [
        ("dev", True),
        ("prod", False),
        ("staging", True),
    ]
    # 10% -> 20%: about a tenth of the users move from off to on, and nobody back
    (flag,) = [c for c in report["environments"][1]["changes"] if c["kind"] == "flag"]
    assert flag["path"] == "flags.adaptive_learning"
    assert flag["moved"]["users"] == 10_000 and 900 <= flag["moved"]["changed"] <= 1_100
    assert flag["moved"]["moves"] == [
        {"from": "off", "to": "on", "users": flag["moved"]["changed"]}
    ]
    assert "simulated: 1,016 of 10,000 users change variant: off -> on 1,016" in markdown
    git(history, "commit", "-qam", "wider rollout")
    committed = amber("diff", "--all", "base", "HEAD", cwd=history, check=1).out.splitlines()
    assert [line for line in committed if not line.startswith(" ")] == [
        "dev: no changes",
        "prod: 2 changes",
        "staging: no changes",
    ]
    amber("diff", "--all", "HEAD", cwd=history, check=0)


def test_artifact_files_and_new_environments(history: Path) -> None:
    amber("build", "prod", "-q", cwd=history, check=0)
    amber("diff", "dist/prod.json", "prod", cwd=history, check=0)
    (history / "environments" / "eu.jsonnet").write_text(
        (history / "environments" / "prod.jsonnet").read_text()
    )
    out = amber("diff", "--all", "base", cwd=history, check=1).out
    assert "eu: 1 change\n  ! environment: new environment eu (schema 1.2.0)" in out


def test_errors_exit_2(history: Path) -> None:
    assert (
        "unknown git revision 'nope'"
        in amber("diff", "prod@nope", "prod", cwd=history, check=2).err
    )
    assert "two sides" in amber("diff", "prod", cwd=history, check=2).err
    prod = history / "environments" / "prod.jsonnet"
    prod.write_text(prod.read_text().replace("batch_size: 400", "batch_size: 900"))
    broken = amber("diff", "prod@base", "prod", cwd=history, check=2)
    assert "batch_size_at_most_500" in broken.err and "prod does not compile" in broken.err


def test_html_for_a_pull_request_is_one_self_contained_page(history: Path) -> None:
    page = amber("diff", "prod@base", "prod", "--format", "html", cwd=history, check=1).out
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    # nothing to fetch: no external stylesheet, script or image
    assert "<script" not in page and 'rel="stylesheet"' not in page and "<img" not in page
    assert "<p>1 of 1 compared changed.</p>" in page
    assert (
        '<tr class="k-changed"><th scope="row">~</th><td><code>spaced_repetition.batch_size'
        "</code></td><td><code>500</code></td><td><code>400</code></td>" in page
    )
    assert "simulated: 1,016 of 10,000 users change variant" in page
    same = amber("diff", "dev@base", "dev", "--format", "html", cwd=history, check=0).out
    assert "<p>No changes.</p>" in same


def test_html_escapes_what_it_shows() -> None:
    old = {"config": {"note": "plain"}}
    new = {"config": {"note": "<script>alert(1)</script>"}}
    page = render.render_html([diff.diff_artifacts(old, new, "a <b> label")], title="x & y")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "a &lt;b&gt; label" in page and "<title>x &amp; y</title>" in page
