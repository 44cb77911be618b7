"""`amber types`: the example app type-checks with the real mypy (and misspellings do not),
every environment loads into the types as the plain API reads it, stale modules are caught,
and the generated `load` refuses an artifact its types do not describe."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import amber
from amber.compiler import artifact
from tests.support.repo import ROOT, clean_env
from tests.support.repo import amber as run_amber
from tests.support.typed import assert_matches, import_module

APP = ROOT / "examples" / "app"


def mypy(directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "main.py"],
        cwd=directory,
        capture_output=True,
        text=True,
        env={**clean_env(), "MYPYPATH": str(ROOT / "compiler")},
    )


def test_the_checked_in_module_is_fresh() -> None:
    run_amber("types", "--check", "examples/app/learnapp_config.py", cwd=ROOT, check=0)


def test_the_example_app_passes_mypy_strict() -> None:
    done = mypy(APP)
    assert done.returncode == 0, done.stdout + done.stderr


MISTAKES = {
    "a misspelt section": (
        "repetition = cfg.spaced_repetition",
        "repetition = cfg.spaced_repetiton",
        '"AppConfig" has no attribute "spaced_repetiton"',
    ),
    "a misspelt field": (
        "batches of {repetition.batch_size} cards",
        "batches of {repetition.batch_sise} cards",
        '"SpacedRepetition" has no attribute "batch_sise"',
    ),
    "a misspelt flag key": (
        "adaptive = cfg.flags.adaptive_learning(context)",
        "adaptive = cfg.flags.adaptive_lerning(context)",
        '"Flags" has no attribute "adaptive_lerning"',
    ),
    "a string method on an integer": (
        "boxes = repetition.leitner.box_count",
        "boxes = repetition.leitner.box_count.upper()",
        '"int" has no attribute "upper"',
    ),
    "a variant that does not exist": (
        'default="classic"',
        'default="clasic"',
        'Argument "default" to "diagnostic_flow" of "Flags" has incompatible type',
    ),
}


@pytest.mark.parametrize("what", list(MISTAKES))
def test_mistakes_fail_mypy_at_their_line(tmp_path: Path, what: str) -> None:
    old, new, message = MISTAKES[what]
    app = tmp_path / "app"
    shutil.copytree(APP, app, ignore=shutil.ignore_patterns("__pycache__", ".mypy_cache"))
    source = (app / "main.py").read_text()
    assert source.count(old) == 1
    line = source[: source.index(old)].count("\n") + 1
    (app / "main.py").write_text(source.replace(old, new))
    done = mypy(app)
    assert done.returncode == 1
    errors = [e for e in done.stdout.splitlines() if ": error:" in e]
    assert len(errors) == 1, done.stdout
    assert errors[0].startswith(f"main.py:{line}: error: {message}"), errors[0]


def test_the_example_app_runs(repo: Path) -> None:
    run_amber("build", "prod", "-q", cwd=repo, check=0)
    done = subprocess.run(
        [sys.executable, str(APP / "main.py"), str(repo / "dist" / "prod.json"), "beta-tester-1"],
        capture_output=True,
        text=True,
        env=clean_env(),
        check=True,
    )
    assert done.stdout.splitlines() == [
        "prod: batches of 500 cards, sm2 (ease 2.5, 5 Leitner boxes), sessions of 5-40",
        "beta-tester-1: adaptive learning True, AI hints True, diagnostic flow classic",
        "AI provider gemini, key ********",
    ]


def test_every_environment_loads_as_the_plain_api_reads_it(repo: Path, tmp_path: Path) -> None:
    run_amber("build", "-q", cwd=repo, check=0)
    module = import_module(run_amber("types", cwd=repo, check=0).out, tmp_path)
    schema = json.loads((repo / "config" / "schema" / "1.2.0.json").read_text())
    for path in sorted((repo / "dist").glob("*.json")):
        typed = module.load(path, secrets="lazy")
        plain = amber.load(path, secrets="lazy")
        assert_matches(typed, plain.to_dict(), schema, schema)
        assert typed.amber_config.content_hash == plain.content_hash
        for key, flag in plain["flags"].items():
            accessor = getattr(typed.flags, key)
            for user in ("admin@learnapp.example", "u1", "u2"):
                context = {"targetingKey": user, "app_version": "2.4.0"}
                values = list(flag["variants"].values())
                default = False if isinstance(values[0], bool) else values[0]
                assert accessor(context, default=default) == plain.flag(key, context, default)


def test_stale_modules_are_caught_and_regenerating_fixes_them(repo: Path) -> None:
    module = "app/config_types.py"
    run_amber("types", "-o", module, cwd=repo, check=0)
    run_amber("types", "--check", module, cwd=repo, check=0)
    schema = repo / "config" / "schema" / "1.2.0.json"
    document = json.loads(schema.read_text())
    batch_size = document["$defs"]["spaced_repetition"]["properties"]["batch_size"]
    batch_size["description"] = "Cards per review batch."
    schema.write_text(json.dumps(document, indent=2))
    before = (repo / module).read_text().splitlines()
    line = next(i for i, text in enumerate(before, 1) if "cards the scheduler loads" in text)
    stale = run_amber("types", "--check", module, cwd=repo, check=1)
    assert stale.err.splitlines() == [
        f"{module}: error: out of date with the schema and the compiled flags (first difference "
        f"at line {line}); regenerate with `amber types -o {module}`"
    ]
    run_amber("types", "-o", module, cwd=repo, check=0)
    run_amber("types", "--check", module, cwd=repo, check=0)
    assert '    """Cards per review batch."""' in (repo / module).read_text()
    flags = repo / "config" / "lib" / "flags.libsonnet"
    flags.write_text(flags.read_text().replace("classic: 'classic'", "classic: 'classic-v2'"))
    assert "first difference" in run_amber("types", "--check", module, cwd=repo, check=1).err


def test_load_refuses_what_its_types_do_not_describe(repo: Path, tmp_path: Path) -> None:
    module = import_module(run_amber("types", cwd=repo, check=0).out, tmp_path)
    newer_major = tmp_path / "prod.json"
    newer_major.write_bytes(
        artifact.to_bytes(artifact.envelope({"environment": "prod"}, "prod", "2.0.0", {}))
    )
    with pytest.raises(amber.VersionError) as caught:
        module.load(newer_major)
    assert "artifact has schema version 2.0.0; this app needs 1.x (at least 1.2)" in str(
        caught.value
    )


def test_flags_of_some_environments_and_flags_of_two_types(repo: Path, tmp_path: Path) -> None:
    prod = repo / "environments" / "prod.jsonnet"
    prod.write_text(
        prod.read_text()
        + "\n+ { flags+: { prod_only: { state: 'ENABLED', variants: { a: 1, b: 2 }, "
        "defaultVariant: 'b' } } }\n"
    )
    run_amber("build", "-q", cwd=repo, check=0)
    module = import_module(run_amber("types", cwd=repo, check=0).out, tmp_path)
    assert module.load(repo / "dist" / "prod.json", secrets="lazy").flags.prod_only(default=0) == 2
    # dev has no such flag: the caller's default
    assert module.load(repo / "dist" / "dev.json", secrets="lazy").flags.prod_only(default=7) == 7
    dev = repo / "environments" / "dev.jsonnet"
    dev.write_text(
        dev.read_text() + "\n+ { flags+: { prod_only: { state: 'ENABLED', variants: { a: 'x' }, "
        "defaultVariant: 'a' } } }\n"
    )
    refused = run_amber("types", cwd=repo, check=1)
    assert (
        "flag 'prod_only' has variants of another type in each environment "
        "(integer in prod; string in dev)" in refused.err
    )
    assert "flag-types" in run_amber("check", cwd=repo, check=1).err


def test_printed_and_written_modules_are_the_same_bytes(repo: Path) -> None:
    # generated code is not a message: nothing in it is cut, though it looks like a credential
    schema = repo / "config" / "schema" / "1.2.0.json"
    document = json.loads(schema.read_text())
    document["description"] = "Reads postgres://app:s3cretPassw0rd@db.internal/app at start-up."
    schema.write_text(json.dumps(document, indent=2))
    printed = run_amber("types", cwd=repo, check=0).out
    run_amber("types", "-o", "m.py", cwd=repo, check=0)
    assert printed == (repo / "m.py").read_text()
    assert "s3cretPassw0rd" in printed


def test_an_unpinned_module_follows_the_newest_schema(repo: Path) -> None:
    run_amber("types", "-o", "m.py", cwd=repo, check=0)
    assert "# amber types: amber types --name AppConfig" in (repo / "m.py").read_text()
    document = json.loads((repo / "config" / "schema" / "1.2.0.json").read_text())
    document["properties"]["region"] = {"type": "string"}
    (repo / "config" / "schema" / "1.3.0.json").write_text(json.dumps(document, indent=2))
    stale = run_amber("types", "--check", "m.py", cwd=repo, check=1)
    assert "out of date" in stale.err


def test_a_header_that_does_not_parse_is_said_so(repo: Path) -> None:
    (repo / "m.py").write_text('# amber types: amber types --version 1.2.0 --name "bad\n')
    run = run_amber("types", "--check", "m.py", cwd=repo, check=2)
    assert run.err == (
        "m.py: error: not a module `amber types` wrote (its '# amber types:' line does not parse)\n"
    )
