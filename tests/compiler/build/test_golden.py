"""The compiled reference artifacts, byte for byte, from either Jsonnet engine.

Set AMBER_UPDATE_GOLDEN=1 to rewrite tests/golden/ after a deliberate change, and review the
diff like any other change to compiled config.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.repo import ROOT, amber

GOLDEN = ROOT / "tests" / "golden"
ENVIRONMENTS = ("dev", "prod", "staging")


@pytest.mark.parametrize("engine", ["go", "rust"])
def test_reference_artifacts_match_golden_files(repo: Path, engine: str) -> None:
    amber("build", "--engine", engine, "-q", cwd=repo, check=0)
    built = sorted(p.name for p in (repo / "dist").iterdir())
    assert built == [f"{env}.json" for env in ENVIRONMENTS]
    for env in ENVIRONMENTS:
        data = (repo / "dist" / f"{env}.json").read_bytes()
        golden = GOLDEN / f"{env}.json"
        if os.environ.get("AMBER_UPDATE_GOLDEN") and engine == "go":
            golden.parent.mkdir(exist_ok=True)
            golden.write_bytes(data)
        assert data == golden.read_bytes(), f"{env} differs from {golden}"


def test_golden_files_are_canonical_artifacts() -> None:
    from amber import canonical

    for env in ENVIRONMENTS:
        data = (GOLDEN / f"{env}.json").read_bytes()
        artifact = json.loads(data)
        assert canonical.dump_bytes(artifact) == data
        assert not data.endswith(b"\n")
        assert artifact["environment"] == env
        assert artifact["content_hash"] == canonical.content_hash(artifact["config"])
