"""A store that heals: a publish killed at any step leaves a store where the next publish,
history and rollback work and agree with what the pointers serve.

Each crash is real: a child process publishes with ``AMBER_FAILPOINT`` set and dies at that
step (``os._exit``, no cleanup).  Also the path traversal an artifact's own content could ask for.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import amber
from amber.compiler import artifact
from amber.errors import UsageError
from amber.publish import directory as store
from amber.publish import oci
from amber.publish.failpoints import NAMES
from amber.runtime.registry import Reference
from tests.support.repo import amber as run_amber
from tests.support.repo import clean_env

PUBLISH = (
    "import sys; from pathlib import Path; from amber.publish import directory\n"
    "directory.publish(Path(sys.argv[1]), Path(sys.argv[2]).read_bytes(), sys.argv[2])\n"
)


def make(tmp_path: Path, n: int, env: str = "prod") -> Path:
    provenance = {"compiler": "test", "git": {"commit": f"c{n}", "dirty": False}}
    path = tmp_path / f"{env}-{n}.json"
    path.write_bytes(artifact.to_bytes(artifact.envelope({"n": n}, env, "1.2.0", provenance)))
    return path


def crash_publishing(root: Path, source: Path, failpoint: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PUBLISH, str(root), str(source)],
        env=clean_env(AMBER_FAILPOINT=failpoint),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 99, done.stderr


def agrees(root: Path) -> list[dict[str, object]]:
    """The history, which must end where the pointer points."""
    entries = store.history(root, "prod")
    assert entries[-1]["to"] == store.current(root, "prod", "1.2")
    served = amber.load(root / "prod" / "1.2")["n"]
    assert (
        served
        == json.loads(store.object_path(root, str(entries[-1]["to"])).read_bytes())["config"]["n"]
    )
    return entries


@pytest.mark.parametrize("failpoint", NAMES)
def test_the_store_heals_after_a_crash_at_every_step(tmp_path: Path, failpoint: str) -> None:
    root = tmp_path / "store"
    store.publish(root, make(tmp_path, 1).read_bytes(), "prod-1.json")
    crash_publishing(root, make(tmp_path, 2), failpoint)
    before = agrees(root)
    # What the crash left is resolved one way or the other, never half: the publish took effect
    # exactly when its history line was written before the crash
    served = amber.load(root / "prod" / "1.2")["n"]
    recorded = failpoint in ("history-written", "pointer-linked", "pointer-moved")
    assert (served, len(before)) == ((2, 2) if recorded else (1, 1))
    assert not list(root.rglob(".*.tmp"))  # leftovers swept
    store.publish(root, make(tmp_path, 3).read_bytes(), "prod-3.json")
    after = agrees(root)
    assert amber.load(root / "prod" / "1.2")["n"] == 3
    assert after[-1]["from"] == before[-1]["to"]  # one chain, nothing appended onto a torn line
    (moved,) = store.rollback(root, "prod")
    assert moved.moved and agrees(root)[-1]["action"] == "rollback"
    assert amber.load(root / "prod" / "1.2")["n"] == served


def test_a_torn_history_line_is_cut_not_appended_onto(tmp_path: Path) -> None:
    root = tmp_path / "store"
    store.publish(root, make(tmp_path, 1).read_bytes(), "prod-1.json")
    crash_publishing(root, make(tmp_path, 2), "history-torn")
    log = root / "prod" / "history.jsonl"
    assert not log.read_bytes().endswith(b"\n")  # the crash tore the line
    store.publish(root, make(tmp_path, 3).read_bytes(), "prod-3.json")
    lines = log.read_bytes().splitlines()
    assert len(lines) == 2 and all(json.loads(line)["action"] == "publish" for line in lines)
    # ... and the command line agrees
    shown = run_amber("history", "--to", str(root), "prod", "--format", "json", cwd=tmp_path)
    assert shown.code == 0 and len(json.loads(shown.out)["history"]) == 2


@pytest.mark.parametrize("environment", ["../../escaped", "/tmp/absolute", ".hidden", "a/b"])
def test_an_artifact_cannot_publish_outside_the_store(tmp_path: Path, environment: str) -> None:
    provenance = {"compiler": "test"}
    data = artifact.to_bytes(artifact.envelope({"n": 1}, environment, "1.2.0", provenance))
    root = tmp_path / "deep" / "store"
    with pytest.raises(UsageError, match="refusing to publish: environment name"):
        store.publish(root, data, "evil.json")
    with pytest.raises(UsageError, match="refusing to push: environment name"):
        oci.push(Reference("127.0.0.1:9", "r"), data, "evil.json")  # refused before any request
    assert not root.exists()  # refused before the store was touched
    assert not Path("/tmp/absolute").exists()


def test_environment_arguments_must_be_plain_names(tmp_path: Path) -> None:
    for bad in ("../x", "/etc"):
        done = run_amber("history", "--to", str(tmp_path), bad, cwd=tmp_path)
        assert done.code == 2 and "environment name" in done.err
        done = run_amber("rollback", "--to", str(tmp_path), bad, cwd=tmp_path)
        assert done.code == 2 and "environment name" in done.err
