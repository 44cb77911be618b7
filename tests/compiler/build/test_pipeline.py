"""The build pipeline through its Python API: results, written artifacts, the cache, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amber.compiler.build.pipeline import build
from amber.compiler.settings import load
from amber.errors import UsageError


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMBER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def test_every_environment_is_built_and_written(repo: Path) -> None:
    results = build(load(repo), out=repo / "dist", jobs=1)
    assert [r.env for r in results] == ["dev", "prod", "staging"]
    assert all(r.ok and not r.cached for r in results)
    for result in results:
        written = (repo / "dist" / f"{result.env}.json").read_bytes()
        assert written == result.outputs[f"{result.env}.json"]
        assert json.loads(written)["environment"] == result.env


def test_a_second_build_comes_from_the_cache_with_the_same_bytes(repo: Path) -> None:
    first = build(load(repo), ["prod"], jobs=1)
    second = build(load(repo), ["prod"], jobs=1)
    assert second[0].cached and not first[0].cached
    assert second[0].outputs == first[0].outputs
    uncached = build(load(repo), ["prod"], jobs=1, use_cache=False)
    assert not uncached[0].cached and uncached[0].outputs == first[0].outputs


def test_a_failed_environment_writes_nothing_and_keeps_its_old_artifact(repo: Path) -> None:
    build(load(repo), ["prod"], out=repo / "dist", jobs=1)
    before = (repo / "dist" / "prod.json").read_bytes()
    prod = repo / "environments" / "prod.jsonnet"
    prod.write_text(prod.read_text().replace("batch_size: 500", "batch_size: 900"))
    (result,) = build(load(repo), ["prod"], out=repo / "dist", jobs=1)
    assert not result.ok and result.outputs == {}
    assert any(d.code == "batch_size_at_most_500" for d in result.diagnostics)
    assert (repo / "dist" / "prod.json").read_bytes() == before


def test_other_versions_are_written_beside_the_current_one(repo: Path) -> None:
    (result,) = build(load(repo), ["dev"], out=repo / "dist", targets=["1.1.0"], jobs=1)
    assert sorted(result.outputs) == ["dev.json", "dev@1.1.0.json"]
    migrated = json.loads((repo / "dist" / "dev@1.1.0.json").read_bytes())
    assert migrated["schema_version"] == "1.1.0"
    assert "flags" not in migrated["config"]


def test_unknown_environments_are_a_usage_error(repo: Path) -> None:
    with pytest.raises(UsageError, match="unknown environment nope"):
        build(load(repo), ["nope"])


def test_parallel_and_serial_builds_agree(repo: Path) -> None:
    for name in ("qa", "perf", "demo"):
        (repo / "environments" / f"{name}.jsonnet").write_text(
            (repo / "environments" / "dev.jsonnet").read_text()
        )
    serial = build(load(repo), jobs=1, use_cache=False)
    parallel = build(load(repo), jobs=2, use_cache=False)
    assert [r.outputs for r in serial] == [r.outputs for r in parallel]
