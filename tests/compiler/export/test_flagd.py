"""`amber export --format flagd` and `amber publish --format flagd`: a flag-definition file that
flagd's schema accepts and that openfeature-flagd-core, loading it as it is, evaluates exactly as
Amber's runtime evaluates the artifact."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

import amber
from amber.compiler import artifact
from amber.compiler.flag_summary import flag_type
from tests.support.flag_sets import VERSIONS, core_1_path, generate, oracle
from tests.support.repo import ROOT, clean_env, copy_reference
from tests.support.repo import amber as run_amber

SCHEMAS = ROOT / "tests" / "data" / "flagd-schemas"
ENVIRONMENTS = ("dev", "prod", "staging")
REFERENCE_CASES = 600  # per environment and generation
GENERATED_CASES = 6_000  # per generation


def flagd_validator() -> Draft7Validator:
    """flags.json and targeting.json from the test data: validation never goes online."""
    documents = [
        json.loads((SCHEMAS / name).read_text()) for name in ("flags.json", "targeting.json")
    ]
    registry: Registry[Any] = Registry().with_resources(
        (doc["$id"], Resource.from_contents(doc, default_specification=DRAFT7)) for doc in documents
    )
    # In draft 7 a $ref hides its sibling $id, so the root is reached by its URL.
    return Draft7Validator({"$ref": documents[0]["$id"]}, registry=registry)


def schema_errors(document: Any) -> list[str]:
    return [
        f"{list(e.absolute_path)}: {e.message[:200]}"
        for e in flagd_validator().iter_errors(document)
    ]


def reference_repo(tmp_path: Path, generation: str) -> Path:
    repo = copy_reference(tmp_path / f"repo-{generation}")
    settings = repo / "pyproject.toml"
    settings.write_text(
        settings.read_text().replace('fractional = "v3"', f'fractional = "{generation}"')
    )
    run_amber("build", "-q", cwd=repo, check=0)
    return repo


def export(repo: Path, source: str, generation: str) -> str:
    args = ("export", source, "--format", "flagd", "--flagd-bucketing", generation)
    return run_amber(*args, cwd=repo, check=0).out


def reference_cases(flags: dict[str, Any], seed: int) -> list[list[Any]]:
    rng = random.Random(seed)
    keys = ["admin@learnapp.example", "beta-tester-1", "beta-tester-2"]
    cases = []
    for index in range(REFERENCE_CASES):
        key = rng.choice(sorted(flags))
        context: dict[str, Any] = {}
        if rng.random() < 0.95:
            context["targetingKey"] = rng.choice(keys) if rng.random() < 0.1 else f"u-{index}"
        if rng.random() < 0.8:
            context["app_version"] = rng.choice(VERSIONS)
        kind = flag_type(flags[key])
        default = {"boolean": False, "string": "dflt"}[kind]
        cases.append([key, context, default, kind])
    return cases


def agree(
    path: Path, document_text: str, cases: list[list[Any]], generation: str
) -> dict[str, int]:
    """flagd-core's answers from the file against the runtime's from the artifact."""
    core = core_1_path() if generation == "v2" else None
    expected = oracle(document_text, cases, core)
    shared = json.loads(document_text)["metadata"]
    config = amber.load(path, secrets="lazy")
    assert config.fractional == generation
    reasons: dict[str, int] = {}
    mismatches = []
    for (key, context, default, kind), want in zip(cases, expected, strict=True):
        got = config.evaluate(key, context, default, type=kind)
        reasons[got.reason] = reasons.get(got.reason, 0) + 1
        mine = [got.value, got.variant, got.reason, got.error_code]
        theirs = [want["value"], want["variant"], want["reason"], want["error"]]
        # flagd hands every result the file's metadata, under the flag's own
        metadata_agrees = got.error_code is not None or want["metadata"] == {
            **shared,
            **dict(got.metadata),
        }
        if mine != theirs or not metadata_agrees:
            mismatches.append((key, context, kind, mine, want))
    assert mismatches == [], f"{len(mismatches)} of {len(cases)} differ; first: {mismatches[0]}"
    return reasons


@pytest.mark.parametrize("generation", ["v3", "v2"])
def test_the_reference_flags_in_flagd(tmp_path: Path, generation: str) -> None:
    repo = reference_repo(tmp_path, generation)
    seen: set[str] = set()
    for index, env in enumerate(ENVIRONMENTS):
        path = repo / "dist" / f"{env}.json"
        head = json.loads(path.read_bytes())
        text = export(repo, env, generation)
        assert export(repo, f"dist/{env}.json", generation) == text  # compiled now, or the file
        document = json.loads(text)
        assert schema_errors(document) == []
        assert document["$schema"] == "https://flagd.dev/schema/v0/flags.json"
        assert document["metadata"] == {
            "flagSetId": env,
            "version": head["content_hash"],
            "amber.environment": env,
            "amber.schemaVersion": head["schema_version"],
            "amber.contentHash": head["content_hash"],
            "amber.fractional": generation,
        }
        assert sorted(document["flags"]) == sorted(head["config"]["flags"])
        flags = head["config"]["flags"]
        seen |= set(agree(path, text, reference_cases(flags, seed=index), generation))
    assert seen == {"STATIC", "TARGETING_MATCH", "DEFAULT", "DISABLED"}


@pytest.mark.parametrize("generation", ["v3", "v2"])
def test_generated_flag_sets_in_flagd(tmp_path: Path, generation: str) -> None:
    generated, cases = generate(seed=4242 if generation == "v3" else 2424, count=GENERATED_CASES)
    # flagd evaluates some flags its schema refuses; the export refuses them (below), and the
    # cases that ask for them here find no flag, in both evaluators.
    flags = {k: f for k, f in generated.items() if not schema_errors({"flags": {k: f}})}
    assert 200 <= len(flags) < len(generated)
    data = artifact.to_bytes(
        artifact.envelope(
            {"flags": flags}, "generated", "1.0.0", {"flags": {"fractional": generation}}
        )
    )
    path = tmp_path / "generated.json"
    path.write_bytes(data)
    text = export(tmp_path, str(path), generation)
    assert schema_errors(json.loads(text)) == []
    reasons = agree(path, text, cases, generation)
    assert set(reasons) == {"STATIC", "TARGETING_MATCH", "DEFAULT", "DISABLED", "ERROR"}, reasons


def test_other_bucketing_is_refused_unless_no_flag_buckets(repo: Path, tmp_path: Path) -> None:
    refused = run_amber("export", "prod", "--format", "flagd", cwd=repo, check=2)
    assert (
        "refusing to export: prod's flags (adaptive_learning, diagnostic_flow) bucket users with "
        "fractional v3 and the file is for flagd v2 consumers" in refused.err
    )
    assert refused.out == ""
    plain = {
        "f": {
            "state": "ENABLED",
            "variants": {"on": True, "off": False},
            "defaultVariant": "off",
            "targeting": {"if": [{"==": [{"var": "tier"}, "gold"]}, "on"]},
        }
    }
    path = tmp_path / "plain.json"
    path.write_bytes(artifact.to_bytes(artifact.envelope({"flags": plain}, "plain", "1.0.0", {})))
    document = json.loads(export(tmp_path, str(path), "v2"))
    assert document["flags"] == plain and document["metadata"]["amber.fractional"] == "v3"


def test_publish_writes_the_flag_file_beside_the_artifact(tmp_path: Path) -> None:
    repo = reference_repo(tmp_path, "v2")
    store = tmp_path / "store"
    env = clean_env()
    run_amber("publish", "--to", str(store), "-q", cwd=repo, env=env, check=0)
    out = run_amber(
        "publish", "--to", str(store), "prod", "--format", "flagd", cwd=repo, env=env, check=0
    )
    written = store / "prod" / "1.2.flagd.json"
    assert out.out.strip() == f"published flags of prod.json -> {written}"
    assert written.read_text() == export(repo, "prod", "v2")
    assert not (store / "dev" / "1.2.flagd.json").exists()
    refused = run_amber(
        "publish",
        "--to",
        str(store),
        "prod",
        "--format",
        "flagd",
        "--flagd-bucketing",
        "v3",
        cwd=repo,
    )
    assert refused.code == 2 and "refusing to export" in refused.err
    assert written.read_text() == export(repo, "prod", "v2")  # the good file stays


def test_flags_flagd_schema_refuses_are_not_exported(tmp_path: Path) -> None:
    seeded = {
        "state": "ENABLED",
        "variants": {"on": True, "off": False},
        "defaultVariant": "off",
        "targeting": {"fractional": ["everyone-the-same", ["on", 50], ["off", 50]]},
    }
    versioned = {
        **seeded,
        "targeting": {"if": [{"sem_ver": [{"var": "app"}, ">=", "v2.0"]}, "on", "off"]},
    }
    path = tmp_path / "odd.json"
    path.write_bytes(
        artifact.to_bytes(
            artifact.envelope({"flags": {"a": seeded, "b": versioned}}, "odd", "1.0.0", {})
        )
    )
    refused = run_amber(
        "export", str(path), "--format", "flagd", "--flagd-bucketing", "v3", cwd=tmp_path, check=1
    )
    assert refused.out == ""
    assert refused.err.splitlines() == [
        f"{path}: error: odd flags.a.targeting.fractional[0]: refusing to export: flagd's schema "
        "refuses this: 'everyone-the-same' is not of type 'object' [flagd]",
        f"{path}: error: odd flags.b.targeting.if[0].sem_ver[2]: refusing to export: 'v2.0' is "
        "not a semantic version as flagd's schema requires (MAJOR.MINOR.PATCH, no 'v') [flagd]",
    ]
