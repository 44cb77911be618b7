"""The directory store: immutable objects, atomic pointers, a complete history, rollbacks."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from pathlib import Path

import pytest

import amber
from amber.compiler import artifact
from amber.errors import LoadError, UsageError
from amber.publish import directory as store
from amber.publish.verify import verify
from tests.support.repo import amber as run_amber
from tests.support.repo import clean_env, copy_reference


def make(
    config: dict[str, object], env: str = "prod", version: str = "1.2.0", commit: str = "abc"
) -> bytes:
    provenance = {"compiler": "test", "git": {"commit": commit, "dirty": False}}
    return artifact.to_bytes(artifact.envelope(config, env, version, provenance))


def test_publish_points_at_a_whole_object(tmp_path: Path) -> None:
    root = tmp_path / "store"
    first = store.publish(root, make({"n": 1}), "prod.json")
    assert (first.environment, first.pointer, first.previous, first.moved) == (
        "prod",
        "1.2",
        None,
        True,
    )
    cfg = amber.load(root / "prod" / "1.2", expect="1.2")  # apps load the pointer directly
    assert cfg["n"] == 1
    again = store.publish(root, make({"n": 1}), "prod.json")
    assert again.moved is False  # same bytes: nothing new written, no history line
    assert len(store.history(root, "prod")) == 1
    second = store.publish(root, make({"n": 2}), "prod.json")
    assert second.previous == first.object
    assert amber.load(root / "prod" / "1.2")["n"] == 2
    objects = sorted((root / "objects" / "sha256").iterdir())
    assert len(objects) == 2 and all(not os.access(p, os.W_OK) or os.getuid() == 0 for p in objects)
    entries = store.history(root, "prod")
    assert [(e["action"], e["from"], e["to"], e["commit"]) for e in entries] == [
        ("publish", None, first.object, "abc"),
        ("publish", first.object, second.object, "abc"),
    ]


def test_versions_have_their_own_pointers(tmp_path: Path) -> None:
    root = tmp_path / "store"
    store.publish(root, make({"v": 2}), "prod.json")
    store.publish(root, make({"v": 1}, version="1.1.0"), "prod@1.1.0.json")
    assert store.pointers(root, "prod") == ["1.1", "1.2"]
    assert amber.load(root / "prod" / "1.1", expect="1.1")["v"] == 1


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: d.replace(b'"n":1', b'"n":9'), "seal mismatch"),
        (lambda d: d[:40], "truncated or corrupt"),
        (lambda d: b'{"not": "an artifact"}', "not an amber artifact"),
    ],
)
def test_a_bad_artifact_is_refused_and_the_store_is_unchanged(
    tmp_path: Path, damage: object, message: str
) -> None:
    root = tmp_path / "store"
    store.publish(root, make({"n": 1}), "prod.json")
    before = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    with pytest.raises(LoadError, match=message):
        store.publish(root, damage(make({"n": 1})), "bad.json")  # type: ignore[operator]
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*")) == before
    assert amber.load(root / "prod" / "1.2")["n"] == 1


def test_rollback_by_steps_and_by_hash(tmp_path: Path) -> None:
    root = tmp_path / "store"
    published = [store.publish(root, make({"n": n}), "prod.json") for n in (1, 2, 3)]
    (back,) = store.rollback(root, "prod", steps=1)
    assert back.object == published[1].object and amber.load(root / "prod/1.2")["n"] == 2
    back = store.rollback(root, "prod", steps=1)  # the publish before the one served now
    assert amber.load(root / "prod/1.2")["n"] == 1
    content_hash = json.loads(make({"n": 3}))["content_hash"]
    store.rollback(root, "prod", "1.2", to_hash=content_hash[:20])
    assert amber.load(root / "prod/1.2")["n"] == 3
    store.rollback(root, "prod", to_hash=published[1].object.removeprefix("sha256:")[:10])
    assert amber.load(root / "prod/1.2")["n"] == 2
    actions = [e["action"] for e in store.history(root, "prod")]
    assert actions == [
        "publish",
        "publish",
        "publish",
        "rollback",
        "rollback",
        "rollback",
        "rollback",
    ]
    with pytest.raises(UsageError, match="cannot go back 9"):
        store.rollback(root, "prod", steps=9)
    with pytest.raises(UsageError, match="no published artifacts"):
        store.rollback(root, "prod", to_hash="ffffffff")


def test_rollback_without_a_version_undoes_the_newest_publish(tmp_path: Path) -> None:
    root = tmp_path / "store"

    def publish(n: int, versions: tuple[str, ...] = ("1.1", "1.2")) -> None:
        """One CI publish from commit c<n>, for apps on each of ``versions``."""
        if "1.1" in versions:
            old = make({"n": n, "old": True}, version="1.1.0", commit=f"c{n}")
            store.publish(root, old, "prod@1.1.0.json")
        if "1.2" in versions:
            store.publish(root, make({"n": n}, commit=f"c{n}"), "prod.json")

    def served() -> tuple[int, int]:
        return amber.load(root / "prod/1.1")["n"], amber.load(root / "prod/1.2")["n"]

    publish(1)
    publish(2)
    moves = store.rollback(root, "prod")
    assert [(m.pointer, m.moved) for m in moves] == [("1.1", True), ("1.2", True)]
    assert served() == (1, 1)
    # by content hash: the hash says which version it is
    newest = json.loads(make({"n": 2}, commit="c2"))["content_hash"]
    (move,) = store.rollback(root, "prod", to_hash=newest)
    assert move.pointer == "1.2" and served() == (1, 2)
    store.rollback(
        root, "prod", "1.1", to_hash=json.loads(make({"n": 2, "old": True}))["content_hash"]
    )
    assert served() == (2, 2)
    # a publish that moved 1.2 alone is undone by moving 1.2 alone
    publish(3, ("1.2",))
    assert served() == (2, 3)
    (move,) = store.rollback(root, "prod")
    assert move.pointer == "1.2" and served() == (2, 2)


def test_rollback_moves_all_the_versions_of_a_publish_or_none(tmp_path: Path) -> None:
    root = tmp_path / "store"
    store.publish(root, make({"n": 1}, commit="c1"), "prod.json")
    store.publish(root, make({"n": 2}, commit="c2"), "prod.json")
    store.publish(root, make({"n": 2, "old": True}, version="1.1.0", commit="c2"), "a.json")
    # 1.1 was published once, by the newest publish: it cannot go back, so 1.2 stays too
    with pytest.raises(UsageError, match=r"prod/1\.1 serves publish 1 of 1; cannot go back 1"):
        store.rollback(root, "prod")
    assert amber.load(root / "prod/1.2")["n"] == 2


def test_a_pointer_ahead_of_its_history_is_brought_back_to_it(tmp_path: Path) -> None:
    """The history is the truth: a pointer moved without its line (by hand, or by an older
    amber that moved first and wrote after) serves what the history says again."""
    root = tmp_path / "store"
    first = store.publish(root, make({"n": 1}), "prod.json")
    data = make({"n": 2})
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    store.object_path(root, digest).write_bytes(data)
    store._move(root, "prod", "1.2", digest)
    entries = store.history(root, "prod")
    assert [e["to"] for e in entries] == [first.object]
    assert store.current(root, "prod", "1.2") == first.object
    third = store.publish(root, make({"n": 3}), "prod.json")
    assert third.previous == first.object


def test_a_half_written_object_is_never_pointed_at(tmp_path: Path) -> None:
    root = tmp_path / "store"
    store.publish(root, make({"n": 1}), "prod.json")
    # A publisher that died while writing an object leaves at most a temp file.
    leftover = root / "objects" / "sha256" / ".deadbeef.json.1234.tmp"
    leftover.write_bytes(b'{"amber":2,"con')
    assert amber.load(root / "prod/1.2")["n"] == 1
    store.publish(root, make({"n": 2}), "prod.json")
    assert not leftover.exists()  # swept under the lock by the next publish
    for link in (root / "prod").iterdir():
        if link.is_symlink():
            assert not os.readlink(link).endswith(".tmp")


def _publisher(args: tuple[str, int]) -> None:
    root, n = args
    for round_ in range(10):
        store.publish(Path(root), make({"writer": n, "round": round_}), f"w{n}.json")


def test_concurrent_publishers_keep_a_complete_history(tmp_path: Path) -> None:
    root = tmp_path / "store"
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        pool.map(_publisher, [(str(root), n) for n in range(4)])
    entries = store.history(root, "prod")
    assert len(entries) == 40  # every move is there, none lost to a race
    # Each entry starts where the one before it ended: the history is one chain.
    assert all(entries[i]["from"] == entries[i - 1]["to"] for i in range(1, len(entries)))
    assert store.current(root, "prod", "1.2") == entries[-1]["to"]
    for entry in entries:
        data = store.object_path(root, entry["to"]).read_bytes()
        assert verify(data, "object")  # every pointer target is a whole artifact


def test_publish_rollback_and_history_commands(tmp_path: Path) -> None:
    repo = copy_reference(tmp_path / "repo")
    env = clean_env(AMBER_CACHE_DIR=str(tmp_path / "cache"))
    target = tmp_path / "store"
    run_amber("build", "-q", "--version", "1.1.0", cwd=repo, env=env, check=0)
    out = run_amber("publish", "--to", str(target), "prod", cwd=repo, env=env, check=0).out
    assert "published prod/1.2 -> sha256:" in out and "published prod/1.1 -> sha256:" in out
    again = run_amber("publish", "--to", str(target), "prod", cwd=repo, env=env, check=0).out
    assert again.count("(unchanged)") == 2
    prod = repo / "environments" / "prod.jsonnet"
    prod.write_text(prod.read_text().replace("batch_size: 500", "batch_size: 450"))
    run_amber("build", "-q", "prod", cwd=repo, env=env, check=0)
    newer = run_amber("publish", "--to", str(target), "prod", cwd=repo, env=env, check=0)
    # dist/prod@1.1.0.json is left from the first build: it holds batch_size 500, not 450.
    assert "published prod/1.2" in newer.out and "prod/1.1" not in newer.out
    assert "skipping dist/prod@1.1.0.json: not migrated from the current prod.json" in newer.err
    assert (
        amber.load(target / "prod" / "1.2", secrets="lazy")["spaced_repetition"]["batch_size"]
        == 450
    )
    rolled = run_amber(
        "rollback", "--to", str(target), "prod", "--version", "1.2", cwd=repo, env=env, check=0
    )
    assert "rolled back prod/1.2 -> sha256:" in rolled.out
    assert (
        amber.load(target / "prod" / "1.2", secrets="lazy")["spaced_repetition"]["batch_size"]
        == 500
    )
    shown = run_amber(
        "history", "--to", str(target), "prod", cwd=repo, env=env, check=0
    ).out.splitlines()
    assert [line.split()[1] for line in shown] == ["publish", "publish", "publish", "rollback"]
    # every version back, or none: 1.1 has been published once only
    refused = run_amber("rollback", "--to", str(target), "prod", cwd=repo, env=env, check=2)
    assert "prod/1.1 serves publish 1 of 1; cannot go back 1" in refused.err
    after = run_amber("history", "--to", str(target), "prod", cwd=repo, env=env, check=0).out
    assert after.splitlines() == shown
    assert (
        "nothing published for dev"
        in run_amber("history", "--to", str(target), "dev", cwd=repo, env=env, check=0).out
    )
    (repo / "dist" / "dev.json").write_bytes(b"{}")
    bad = run_amber("publish", "--to", str(target), "dev", cwd=repo, env=env, check=1)
    assert "refusing to publish" in bad.err


def test_a_damaged_stored_copy_is_rewritten_on_publish(tmp_path: Path) -> None:
    root = tmp_path / "store"
    data = make({"n": 1})
    store.publish(root, data, "prod.json")
    target = store.object_path(root, "sha256:" + hashlib.sha256(data).hexdigest())
    target.chmod(0o644)
    target.write_bytes(b"zzz")  # what `cp x STORE/prod/1.2` does: writes through the symlink
    again = store.publish(root, data, "prod.json")
    assert (again.moved, again.repaired) == (False, True)
    assert target.read_bytes() == data
    assert amber.load(root / "prod" / "1.2")["n"] == 1


def test_a_corrupt_history_is_an_error_and_a_torn_last_line_is_not(tmp_path: Path) -> None:
    root = tmp_path / "store"
    store.publish(root, make({"n": 1}), "prod.json")
    store.publish(root, make({"n": 2}), "prod.json")
    history = root / "prod" / "history.jsonl"
    good = history.read_text()
    history.write_text(good + '{"action": "publ')  # a crash in the middle of an append
    assert len(store.history(root, "prod")) == 2
    lines = good.splitlines()
    history.write_text('{"x": 1}\n' + lines[1] + "\n")
    with pytest.raises(UsageError, match="corrupt history entry") as caught:
        store.history(root, "prod")
    assert str(caught.value).startswith(f"{history}:1: ")


def test_publish_without_names_takes_what_was_built(tmp_path: Path) -> None:
    repo = copy_reference(tmp_path / "repo")
    target = tmp_path / "store"
    env = clean_env()
    nothing = run_amber("publish", "--to", str(target), cwd=repo, env=env, check=2)
    assert "no dist/ to publish: run amber build first" in nothing.err
    run_amber("build", "-q", "prod", cwd=repo, env=env, check=0)
    done = run_amber("publish", "--to", str(target), cwd=repo, env=env, check=0)
    assert [line.split()[1].split("/")[0] for line in done.out.splitlines()] == ["prod"]
    named = run_amber("publish", "--to", str(target), "dev", cwd=repo, env=env, check=2)
    assert "dev has no artifact in dist/: run amber build" in named.err
    (repo / "dist/prod.json").unlink()
    empty = run_amber("publish", "--to", str(target), cwd=repo, env=env, check=2)
    assert "no artifacts in dist/ to publish: run amber build" in empty.err
