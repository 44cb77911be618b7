"""End to end: the real `amber` command in a subprocess, on copies of the reference repo."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.support.artifacts import hand_made
from tests.support.repo import ROOT, amber, clean_env, copy_reference


def break_prod(repo: Path) -> None:
    prod = repo / "environments" / "prod.jsonnet"
    prod.write_text(prod.read_text().rstrip() + " + { spaced_repetition+: { batch_size: 900 } }\n")


def test_build_writes_one_artifact_per_environment(repo: Path) -> None:
    run = amber("build", cwd=repo, check=0)
    assert sorted(p.name for p in (repo / "dist").iterdir()) == [
        "dev.json",
        "prod.json",
        "staging.json",
    ]
    assert "built prod: dist/prod.json (1.2.0, sha256:" in run.out
    # dev keeps a short cache TTL on purpose: a warning, reported, not fatal.
    assert "warning: dev spaced_repetition.cache_ttl_seconds" in run.err


def test_build_some_environments_into_another_directory(repo: Path) -> None:
    amber("build", "prod", "--out", "out/artifacts", "-q", cwd=repo, check=0)
    assert [p.name for p in (repo / "out" / "artifacts").iterdir()] == ["prod.json"]
    assert not (repo / "dist").exists()


def test_check_writes_nothing_and_says_ok(repo: Path) -> None:
    run = amber("check", cwd=repo, check=0)
    assert not (repo / "dist").exists()
    assert "ok prod" in run.out


def test_bad_value_names_environment_path_and_rule(repo: Path) -> None:
    break_prod(repo)
    run = amber("check", cwd=repo, check=1)
    assert (
        "environments/prod.jsonnet:13: error: prod spaced_repetition.batch_size: "
        "batch_size 900 is over 500" in run.err
    )
    assert "[batch_size_at_most_500]" in run.err


def test_failed_build_keeps_the_previous_artifact(repo: Path) -> None:
    amber("build", "-q", cwd=repo, check=0)
    before = (repo / "dist" / "prod.json").read_bytes()
    (repo / "dist" / "dev.json").unlink()
    break_prod(repo)
    amber("build", "-q", cwd=repo, check=1)
    assert (repo / "dist" / "prod.json").read_bytes() == before
    assert (repo / "dist" / "dev.json").exists()  # the good environments are still built
    assert sorted(p.name for p in (repo / "dist").iterdir()) == [
        "dev.json",
        "prod.json",
        "staging.json",
    ]  # and no temporary file is left behind


def test_json_report(repo: Path) -> None:
    break_prod(repo)
    run = amber("check", "--format", "json", cwd=repo, check=1)
    assert run.err == ""
    report = json.loads(run.out)
    assert report["ok"] is False
    by_env = {e["environment"]: e["ok"] for e in report["environments"]}
    assert by_env == {"dev": True, "prod": False, "staging": True}
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert errors == [
        {
            "code": "batch_size_at_most_500",
            "col": None,
            "environment": "prod",
            "file": "environments/prod.jsonnet",
            "line": 13,
            "message": "batch_size 900 is over 500, which the review workers cannot keep up with",
            "path": "spaced_repetition.batch_size",
            "severity": "error",
        }
    ]


def test_build_json_report_lists_artifacts(repo: Path) -> None:
    report = json.loads(amber("build", "prod", "--format", "json", cwd=repo, check=0).out)
    (artifact,) = report["environments"][0]["artifacts"]
    on_disk = json.loads((repo / "dist" / "prod.json").read_bytes())
    assert artifact["content_hash"] == on_disk["content_hash"]
    assert artifact["schema_version"] == "1.2.0"


def test_show_masks_secrets_and_reads_paths(repo: Path) -> None:
    config = json.loads(amber("show", "prod", cwd=repo, check=0).out)
    assert config["ai_provider"]["api_keys"]["openai"] == "<secret env:OPENAI_API_KEY>"
    assert config["spaced_repetition"]["batch_size"] == 500
    value = amber("show", "prod", "interleaving.default_weights.due", cwd=repo, check=0).out
    assert json.loads(value) == 0.6
    listed = amber("show", "prod", "ai_provider.fallback_providers[1]", cwd=repo, check=0).out
    assert json.loads(listed) == "anthropic"
    as_yaml = yaml.safe_load(amber("show", "dev", "--format", "yaml", cwd=repo, check=0).out)
    assert as_yaml["debug"] is True
    missing = amber("show", "prod", "interleaving.nope", cwd=repo, check=2)
    assert "no value at interleaving.nope" in missing.err


def test_show_reads_an_artifact_file(repo: Path) -> None:
    amber("build", "prod", "-q", cwd=repo, check=0)
    value = amber("show", "dist/prod.json", "ai_provider.api_keys.gemini", cwd=repo, check=0)
    assert json.loads(value.out) == "<secret env:GEMINI_API_KEY>"


def test_show_never_prints_a_live_credential(repo: Path) -> None:
    openai = "sk-proj-" + "Abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ"
    anthropic = "sk-ant-api03-" + "Zyxwvutsrqponmlkjihgfedcba9876543210"
    prod = repo / "environments" / "prod.jsonnet"
    prod.write_text(
        prod.read_text().rstrip()
        + f" + {{ ai_provider+: {{ api_keys+: {{ openai: '{openai}', anthropic: '{anthropic}' }} }} }}\n"
    )
    for output_format in ("json", "yaml"):
        shown = amber("show", "prod", "--format", output_format, cwd=repo, check=1)
        assert openai not in shown.out + shown.err and anthropic not in shown.out + shown.err
        assert "sk-p...<redacted>" in shown.out and "sk-a...<redacted>" in shown.out
        assert "(Anthropic API key)" in shown.err


def test_show_prints_an_invalid_config_and_fails(repo: Path) -> None:
    break_prod(repo)
    run = amber("show", "prod", "spaced_repetition.batch_size", cwd=repo, check=1)
    assert run.out.strip() == "900"
    assert "batch_size_at_most_500" in run.err


def test_usage_errors_exit_2_without_traceback(repo: Path, tmp_path: Path) -> None:
    assert amber("build", "--bogus", cwd=repo, check=2).err.startswith("Usage:")
    assert "unknown environment nope" in amber("build", "nope", cwd=repo, check=2).err
    amber("--repo", str(repo / "missing"), "check", cwd=repo, check=2)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no environments directory" in amber("check", cwd=empty, check=2).err


def test_os_errors_are_one_line_with_the_path(repo: Path) -> None:
    (repo / "afile").write_text("")
    failed = amber("build", "--out", "afile/dist", cwd=repo, check=2)
    assert failed.err.splitlines() == ["afile/dist/dev.json: error: cannot write: Not a directory"]
    assert (repo / "afile").read_text() == ""


def test_repo_is_found_from_a_subdirectory(repo: Path) -> None:
    amber("check", "-q", cwd=repo / "environments", check=0)


def test_console_script_and_module_agree(repo: Path) -> None:
    script = Path(sys.executable).parent / "amber"
    done = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, env=clean_env(), check=True
    )
    assert done.stdout.startswith("amber, version ")
    assert amber("--version", cwd=repo, check=0).out == done.stdout


def test_two_clean_copies_give_identical_bytes(tmp_path: Path) -> None:
    first, second = copy_reference(tmp_path / "a"), copy_reference(tmp_path / "b")
    for copy in (first, second):
        amber("build", "-q", cwd=copy, check=0)
    for env in ("dev", "prod", "staging"):
        a = (first / "dist" / f"{env}.json").read_bytes()
        assert a == (second / "dist" / f"{env}.json").read_bytes()
        assert b"built_at" not in a


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_git_clones_record_the_commit_and_agree(tmp_path: Path) -> None:
    origin = copy_reference(tmp_path / "origin")
    _git(origin, "init", "-q")
    _git(origin, "add", "-A")
    _git(origin, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "config")
    commit = _git(origin, "rev-parse", "HEAD")
    clones = []
    for name in ("one", "two"):
        subprocess.run(["git", "clone", "-q", str(origin), str(tmp_path / name)], check=True)
        clones.append(tmp_path / name)
        amber("build", "prod", "-q", cwd=tmp_path / name, check=0)
    data = [(c / "dist" / "prod.json").read_bytes() for c in clones]
    assert data[0] == data[1]
    assert json.loads(data[0])["provenance"]["git"] == {"commit": commit, "dirty": False}
    prod = clones[0] / "environments" / "prod.jsonnet"
    prod.write_text(prod.read_text() + "\n")
    amber("build", "prod", "-q", cwd=clones[0], check=0)
    dirty = json.loads((clones[0] / "dist" / "prod.json").read_bytes())["provenance"]["git"]
    assert dirty == {"commit": commit, "dirty": True}


def test_committed_artifacts_do_not_make_the_next_build_dirty(tmp_path: Path) -> None:
    # GitOps repositories often commit dist/: a build must not see its own output as a change.
    repo = copy_reference(tmp_path / "repo")
    _git(repo, "init", "-q")
    amber("build", "prod", "-q", cwd=repo, check=0)
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "config")
    builds = []
    for _ in range(2):
        amber("build", "prod", "-q", cwd=repo, check=0)
        builds.append((repo / "dist" / "prod.json").read_bytes())
    assert builds[0] == builds[1]
    assert json.loads(builds[0])["provenance"]["git"]["dirty"] is False


def test_source_date_epoch_is_the_only_clock(repo: Path) -> None:
    amber("build", "prod", "-q", cwd=repo, env=clean_env(SOURCE_DATE_EPOCH="1700000000"), check=0)
    provenance = json.loads((repo / "dist" / "prod.json").read_bytes())["provenance"]
    assert provenance["built_at"] == "2023-11-14T22:13:20Z"


@pytest.mark.parametrize("value", ["abc", "1.5", "-5", "99999999999999999999"])
def test_a_malformed_source_date_epoch_fails_the_build(repo: Path, value: str) -> None:
    failed = amber("build", "-q", cwd=repo, env=clean_env(SOURCE_DATE_EPOCH=value), check=2)
    assert failed.err == (
        f"amber: error: SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, "
        f"not {value!r}\n"
    )
    assert not (repo / "dist").exists()


def test_an_artifact_amber_did_not_write_is_refused(repo: Path) -> None:
    # NaN and a duplicate key under a matching hash: the runtime refuses those, and the
    # commands refuse anything not in canonical form as well.
    for name, config in (
        ("nan", b'{"a":NaN}'),
        ("spaced", b'{"a": 1}'),
        ("lone", b'{"a":"\\ud800"}'),
    ):
        (repo / f"{name}.json").write_bytes(hand_made(config))
        # diff exits 2: its 1 means "they differ"
        for args, code in ((("show", f"{name}.json"), 1), (("diff", f"{name}.json", "prod"), 2)):
            failed = amber(*args, cwd=repo, check=code)
            assert failed.err.startswith(f"{name}.json: error: "), failed.err
            assert "not in canonical form" in failed.err or "not JSON" in failed.err


def test_json_output_reports_failures_too(repo: Path) -> None:
    for args in (("check", "nosuch"), ("show", "nosuch"), ("diff", "dev", "nosuch")):
        failed = amber(*args, "--format", "json", cwd=repo, check=2)
        report = json.loads(failed.out)
        assert report["ok"] is False
        assert "unknown environment nosuch" in report["diagnostics"][0]["message"]
        assert failed.err == ""  # the report instead of the human lines, not as well
    bad_context = amber(
        "flags",
        "prod",
        "adaptive_learning",
        "--context",
        "{bad",
        "--format",
        "json",
        cwd=repo,
        check=2,
    )
    assert json.loads(bad_context.out)["ok"] is False and bad_context.err == ""
    prod = repo / "environments" / "prod.jsonnet"
    prod.write_text(prod.read_text().replace("batch_size: 500", "batch_size: 900"))
    failed = amber("diff", "prod", "dev", "--format", "json", cwd=repo, check=2)
    problem, why = json.loads(failed.out)["diagnostics"]
    assert why["message"] == "prod does not compile; fix it (amber check) before diffing"
    assert (problem["environment"], problem["path"], problem["code"]) == (
        "prod",
        "spaced_repetition.batch_size",
        "batch_size_at_most_500",
    )


def test_a_library_that_is_not_utf8_is_named(repo: Path) -> None:
    (repo / "config" / "lib" / "latin1.libsonnet").write_bytes(b"{ name: 'caf\xe9' }\n")
    prod = repo / "environments" / "prod.jsonnet"
    prod.write_text(
        prod.read_text().replace(
            "max_retries: 5", "max_retries: std.length((import 'lib/latin1.libsonnet').name)"
        )
    )
    for engine in ("go", "rust"):
        failed = amber("check", "prod", "--engine", engine, cwd=repo, check=1)
        assert failed.err.startswith(
            "config/lib/latin1.libsonnet: error: prod: file is not UTF-8 text"
        ), failed.err


def test_provenance_records_every_file_evaluation_read(repo: Path) -> None:
    amber("build", "prod", "-q", cwd=repo, check=0)
    provenance = json.loads((repo / "dist" / "prod.json").read_bytes())["provenance"]
    assert sorted(provenance["inputs"]) == [
        "<amber>/amber/flags.libsonnet",
        "config/lib/base.libsonnet",
        "config/lib/flags.libsonnet",
        "environments/prod.jsonnet",
    ]
    import hashlib

    base = (repo / "config" / "lib" / "base.libsonnet").read_bytes()
    expected = "sha256:" + hashlib.sha256(base).hexdigest()
    assert provenance["inputs"]["config/lib/base.libsonnet"] == expected
    assert provenance["compiler"].startswith("amber-config ")
    assert provenance["schema"]["file"] == "config/schema/1.2.0.json"


def test_engines_give_identical_artifacts_for_the_reference(tmp_path: Path) -> None:
    go, rust = copy_reference(tmp_path / "go"), copy_reference(tmp_path / "rust")
    amber("build", "-q", cwd=go, check=0)
    (rust / "amber.toml").write_text('engine = "rust"\n')
    amber("build", "-q", cwd=rust, check=0)
    for env in ("dev", "prod", "staging"):
        assert (go / "dist" / f"{env}.json").read_bytes() == (
            rust / "dist" / f"{env}.json"
        ).read_bytes()


def test_the_checkouts_own_config_checks() -> None:
    # The reference config in this checkout, as the pre-commit hook sees it: valid, and
    # checking writes nothing into the working tree.
    existed = (ROOT / "dist").exists()
    amber("check", "-q", cwd=ROOT, check=0)
    assert (ROOT / "dist").exists() == existed


def test_flags_command(repo: Path) -> None:
    admin = amber(
        "flags",
        "prod",
        "adaptive_learning",
        "--context",
        '{"targetingKey": "admin@learnapp.example"}',
        cwd=repo,
        check=0,
    )
    assert admin.out.splitlines() == ["value: true", "variant: on", "reason: TARGETING_MATCH"]
    report = json.loads(
        amber(
            "flags",
            "prod",
            "ai_hints",
            "--context",
            '{"app_version": "2.3.0"}',
            "--format",
            "json",
            cwd=repo,
            check=0,
        ).out
    )
    assert (report["value"], report["variant"], report["reason"], report["fractional"]) == (
        False,
        "off",
        "DEFAULT",
        "v3",
    )
    assert report["metadata"] == {"owner": "ai-team"}
    mismatch = amber("flags", "prod", "ai_hints", "--type", "string", cwd=repo, check=1)
    assert "error: TYPE_MISMATCH" in mismatch.out
    missing = amber("flags", "prod", "nope", cwd=repo, check=2)
    assert (
        "no flag 'nope' in prod (flags: adaptive_learning, ai_hints, diagnostic_flow, new_scheduler)"
        in missing.err
    )
    as_json = amber("flags", "prod", "nope", "--format", "json", cwd=repo, check=2)
    assert json.loads(as_json.out)["error_code"] == "FLAG_NOT_FOUND" and as_json.err == ""
    assert (
        "is not JSON"
        in amber("flags", "prod", "ai_hints", "--context", "{oops", cwd=repo, check=2).err
    )
    amber("build", "prod", "-q", cwd=repo, check=0)
    from_file = amber(
        "flags",
        "dist/prod.json",
        "adaptive_learning",
        "--context",
        '{"targetingKey": "beta-tester-1"}',
        cwd=repo,
        check=0,
    )
    assert from_file.out.startswith("value: true")


def test_switching_bucketing_generation_is_recorded(repo: Path) -> None:
    import amber as runtime

    amber("build", "prod", "-q", cwd=repo, check=0)
    (repo / "dist" / "prod.json").rename(repo / "v3.json")
    (repo / "amber.toml").write_text('fractional = "v2"\n')
    amber("build", "prod", "-q", cwd=repo, check=0)
    v3 = runtime.load(repo / "v3.json", secrets="lazy")
    v2 = runtime.load(repo / "dist" / "prod.json", secrets="lazy")
    assert (v3.fractional, v2.fractional) == ("v3", "v2")
    assert v2.content_hash == v3.content_hash  # the same config...
    assert v2.provenance["inputs_digest"] != v3.provenance["inputs_digest"]
    users = [{"targetingKey": f"user{i}"} for i in range(300)]
    moved = [
        u
        for u in users
        if v2.flag("adaptive_learning", u, False) != v3.flag("adaptive_learning", u, False)
    ]
    assert moved  # ...buckets users differently, which is why the choice is recorded


def test_every_schema_version_builds_from_the_same_sources(repo: Path) -> None:
    import amber as runtime

    (repo / "amber.toml").write_text('publish_versions = ["1.0.0"]\n')
    run = amber("build", "--version", "1.1", cwd=repo, check=0)
    assert "built prod: dist/prod@1.0.0.json (1.0.0, sha256:" in run.out
    for env in ("dev", "prod", "staging"):
        current = runtime.load(repo / "dist" / f"{env}.json", expect="1.2", secrets="lazy")
        older = runtime.load(repo / "dist" / f"{env}@1.1.0.json", expect="1.1", secrets="lazy")
        oldest = runtime.load(repo / "dist" / f"{env}@1.0.0.json", expect="1.0", secrets="lazy")
        assert "flags" in current and "flags" not in older and "ai_provider" in older
        assert "ai_provider" not in oldest
        assert oldest["interleaving"] == current["interleaving"]
        for migrated in (older, oldest):
            assert migrated.provenance["migrated_from"] == {
                "content_hash": current.content_hash,
                "schema_version": "1.2.0",
            }
        # An app that needs 1.1 can run on the 1.2 artifact, not on the 1.0 one.
        runtime.load(repo / "dist" / f"{env}.json", expect="1.1", secrets="lazy")
        with pytest.raises(runtime.VersionError):
            runtime.load(repo / "dist" / f"{env}@1.0.0.json", expect="1.1", secrets="lazy")


def test_migrate_command_brings_an_old_artifact_forward(repo: Path) -> None:
    amber("build", "prod", "--version", "1.0.0", "-q", cwd=repo, check=0)
    run = amber("migrate", "dist/prod@1.0.0.json", "--to", "1.2.0", cwd=repo, check=0)
    assert (
        run.out.strip() == "migrated dist/prod@1.0.0.json (1.0.0) -> dist/prod@1.2.0.json (1.2.0)"
    )
    forward = json.loads((repo / "dist" / "prod@1.2.0.json").read_bytes())
    assert forward["config"]["flags"] == {}  # flags were dropped on the way down
    assert forward["config"]["ai_provider"]["primary_provider"] == "gemini"
    assert forward["provenance"]["migrated_from"]["schema_version"] == "1.0.0"
    assert (
        "no schema version 9.9"
        in amber("migrate", "dist/prod.json", "--to", "9.9", cwd=repo, check=2).err
    )
    assert (
        "no such file" in amber("migrate", "dist/nope.json", "--to", "1.0.0", cwd=repo, check=2).err
    )


# --- engines that never return, or die ----------------------------------------------------

# Recursion through tailstrict calls is not counted by max_stack: go-jsonnet's own stack grows
# until the Go runtime dies with "fatal error: stack overflow", taking its process with it.
DEEP_TAILSTRICT = (
    "local f(n) = if n == 0 then 0 else f(n - 1) tailstrict;\n"
    "(import 'lib/base.libsonnet') + { debug: f(3000000) == 0 }\n"
)
# About a billion additions in constant memory: minutes of work, a hung hook without a limit.
RUNAWAY = (
    "local spin(n) = std.foldl(function(a, i) a + 1, std.range(1, 10000), n);\n"
    "(import 'lib/base.libsonnet') + "
    "{ debug: std.foldl(function(a, i) spin(a), std.range(1, 100000), 0) == 0 }\n"
)


def _more_environments(repo: Path, count: int) -> None:
    """Enough environments for a parallel build."""
    for n in range(count):
        shutil.copy(repo / "environments/dev.jsonnet", repo / f"environments/dev-{n}.jsonnet")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_engine_crash_fails_only_its_environment(repo: Path, jobs: str) -> None:
    if jobs != "1":
        _more_environments(repo, 3)
    (repo / "environments/staging.jsonnet").write_text(DEEP_TAILSTRICT)
    done = amber("build", "--no-cache", "-j", jobs, cwd=repo, check=1)
    errors = [line for line in done.err.splitlines() if ": error: " in line]
    assert errors == [
        "environments/staging.jsonnet: error: staging: the Jsonnet engine crashed: stack overflow"
        " (recursion through tailstrict calls, which max_stack does not count?) [crash]"
    ], done.err
    assert "goroutine" not in done.err  # the Go runtime's trace is not the user's to read
    assert not (repo / "dist/staging.json").exists()
    built = sorted(p.name for p in (repo / "dist").iterdir())
    expected = ["dev.json", "prod.json"] + [f"dev-{n}.json" for n in range(3) if jobs != "1"]
    assert built == sorted(expected)


def test_an_evaluation_that_runs_too_long_is_stopped(repo: Path) -> None:
    (repo / "environments/staging.jsonnet").write_text(RUNAWAY)
    with (repo / "pyproject.toml").open("a") as settings:
        settings.write("timeout = 2\n")
    done = amber("build", cwd=repo, check=1)
    errors = [line for line in done.err.splitlines() if ": error: " in line]
    assert errors == [
        "environments/staging.jsonnet: error: staging: evaluation took longer than 2 s "
        "(timeout setting): runaway computation? [timeout]"
    ], done.err
    assert (repo / "dist/prod.json").exists()
    # Not cached: on a faster machine, or with a higher limit, it may well finish.
    again = amber("build", "--format", "json", cwd=repo, check=1).out
    cached = {e["environment"]: e["cached"] for e in json.loads(again)["environments"]}
    assert cached == {"dev": True, "prod": True, "staging": False}


def _wait_for_a_busy_child(group: int) -> None:
    """Until a process of ``group`` other than its leader has used a second of CPU."""
    ticks = os.sysconf("SC_CLK_TCK")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # fields[2] is the process group; [11] and [12] are user and system time
            member = int(stat.parent.name) != group and int(fields[2]) == group
            if member and int(fields[11]) + int(fields[12]) >= ticks:
                return
        time.sleep(0.1)
    raise AssertionError("no process of the build got busy")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_a_runaway_build(repo: Path, jobs: str) -> None:
    """A terminal's Ctrl-C: SIGINT to the whole process group, while the engine is busy."""
    if jobs != "1":
        _more_environments(repo, 3)
    (repo / "environments/staging.jsonnet").write_text(RUNAWAY)

    def new_group_with_default_sigint() -> None:
        os.setsid()
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # CI may start us with SIGINT ignored

    process = subprocess.Popen(
        [sys.executable, "-m", "amber", "build", "--no-cache", "-j", jobs],
        cwd=repo,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=new_group_with_default_sigint,
    )
    _wait_for_a_busy_child(process.pid)  # inside the runaway evaluation, whatever the load
    os.killpg(process.pid, signal.SIGINT)
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise AssertionError("amber build ignored Ctrl-C") from None
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert err.strip().endswith("amber: aborted"), err
    # Nothing left running: no child or worker still burning a core.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("processes of the interrupted build are still running")


def test_hidden_files_are_not_environments_and_bad_names_fail_only_a_full_build(
    repo: Path,
) -> None:
    # An editor's lock file (a dangling symlink) must not break the hook.
    (repo / "environments/.#prod.jsonnet").symlink_to("/nonexistent/editor@host.1234")
    (repo / "environments/.draft.jsonnet").write_text("{")
    listed = json.loads(amber("build", "--format", "json", cwd=repo, check=0).out)
    assert [e["environment"] for e in listed["environments"]] == ["dev", "prod", "staging"]
    (repo / "environments/my env.jsonnet").write_text("{}")
    whole = amber("check", cwd=repo, check=2)
    assert whole.err.startswith("environments/my env.jsonnet: error: environment name 'my env'")
    amber("check", "prod", "-q", cwd=repo, check=0)


def test_missing_and_damaged_artifact_files(repo: Path) -> None:
    for args in (("show", "nope.json"), ("migrate", "nope.json", "--to", "1.0.0")):
        missing = amber(*args, cwd=repo, check=2)
        assert missing.err == "nope.json: error: no such file\n"
    missing = amber("diff", "nope.json", "prod", cwd=repo, check=2)
    assert missing.err == "nope.json: error: no such file\n"
    amber("build", "prod", "-q", cwd=repo, check=0)
    truncated = repo / "truncated.json"
    truncated.write_bytes((repo / "dist/prod.json").read_bytes()[:300])
    # for diff, 1 means "the configs differ": an artifact it cannot read is an error, 2
    damaged = amber("diff", "truncated.json", "prod", cwd=repo, check=2)
    assert damaged.err.startswith("truncated.json: error:")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_what_rules_write_to_stderr_is_passed_on_once(repo: Path, jobs: str) -> None:
    _more_environments(repo, 3)
    with (repo / "config/rules.py").open("a") as rules_file:
        rules_file.write(
            "\nimport sys as _sys, warnings as _warnings\n"
            "_warnings.warn('rules: this helper is deprecated')\n\n"
            "@rule('debug')\n"
            "def talks(config):\n"
            "    print('looking at debug =', config['debug'], file=_sys.stderr)\n"
            "    return True\n"
        )
    done = amber("build", "-q", "--no-cache", "-j", jobs, cwd=repo, check=0)
    assert done.err.count("UserWarning: rules: this helper is deprecated") == 1, done.err
    # said by every environment, and the same words: once
    assert done.err.count("looking at debug = True") == 1
    assert done.err.count("looking at debug = False") == 1


def test_an_environment_named_like_a_file_is_still_an_environment(repo: Path) -> None:
    shutil.copy(repo / "environments/dev.jsonnet", repo / "environments/app.json.jsonnet")
    # compiled as an environment (which the reference schema's name pattern then refuses)
    shown = amber("show", "app.json", "debug", cwd=repo, check=1)
    assert shown.out.strip() == "true" and "app.json environment: 'app.json'" in shown.err
    amber("show", "nope.json", cwd=repo, check=2)
