"""`amber export --format configmap`: a ConfigMap Kubernetes would accept, holding the artifact."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

import amber
from tests.support.repo import amber as run_amber
from tests.support.repo import clean_env

DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
LABEL_KEY = re.compile(r"([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?")
LABEL_VALUE = re.compile(r"([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?")
DATA_KEY = re.compile(r"[-._a-zA-Z0-9]+")


def test_configmap_shape(repo: Path, tmp_path: Path) -> None:
    env = clean_env(AMBER_CACHE_DIR=str(tmp_path / "cache"))
    run_amber("build", "prod", "-q", cwd=repo, env=env, check=0)
    out = run_amber(
        "export",
        "prod",
        "--format",
        "configmap",
        "--namespace",
        "learnapp",
        cwd=repo,
        env=env,
        check=0,
    ).out
    manifest = yaml.safe_load(out)
    assert (manifest["apiVersion"], manifest["kind"]) == ("v1", "ConfigMap")
    metadata = manifest["metadata"]
    assert metadata["name"] == "prod-config" and metadata["namespace"] == "learnapp"
    assert DNS_SUBDOMAIN.fullmatch(metadata["name"]) and len(metadata["name"]) <= 253
    for key, value in metadata["labels"].items():
        assert LABEL_KEY.fullmatch(key) and LABEL_VALUE.fullmatch(value) and len(value) <= 63
    artifact_bytes = (repo / "dist" / "prod.json").read_bytes()
    head = json.loads(artifact_bytes)
    assert metadata["labels"]["amber.dev/environment"] == "prod"
    assert metadata["labels"]["amber.dev/schema-version"] == "1.2.0"
    assert head["content_hash"].startswith("sha256:" + metadata["labels"]["amber.dev/content-hash"])
    assert metadata["annotations"]["amber.dev/content-hash"] == head["content_hash"]
    assert list(manifest["data"]) == ["prod.json"] and DATA_KEY.fullmatch("prod.json")
    # the data is the artifact, byte for byte: mounted, it loads and verifies
    mounted = tmp_path / "prod.json"
    mounted.write_bytes(manifest["data"]["prod.json"].encode())
    assert mounted.read_bytes() == artifact_bytes
    assert amber.load(mounted, expect="1.2", secrets="lazy").environment == "prod"
    from_file = run_amber(
        "export", "dist/prod.json", "--name", "learnapp-prod", cwd=repo, env=env, check=0
    )
    assert yaml.safe_load(from_file.out)["metadata"]["name"] == "learnapp-prod"


def test_bad_names_are_usage_errors(repo: Path, tmp_path: Path) -> None:
    env = clean_env(AMBER_CACHE_DIR=str(tmp_path / "cache"))
    assert (
        "not a valid ConfigMap name"
        in run_amber("export", "prod", "--name", "Prod_Config", cwd=repo, env=env, check=2).err
    )
    assert (
        "not a valid namespace"
        in run_amber("export", "prod", "--namespace", "a" * 64, cwd=repo, env=env, check=2).err
    )
