"""`amber.watch`: swaps in only complete, verified configs; keeps the last good one otherwise."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

import amber
from amber.compiler import artifact


def artifact_bytes(n: int, version: str = "1.2.0", size: int = 200) -> bytes:
    config = {"n": n, "copy": n, "blob": [n] * size}
    return artifact.to_bytes(artifact.envelope(config, "prod", version, {"compiler": "test"}))


def replace(path: Path, data: bytes) -> None:
    temp = path.with_name(path.name + ".tmp")
    temp.write_bytes(data)
    os.replace(temp, path)


def test_an_atomic_replace_is_picked_up(tmp_path: Path) -> None:
    path = tmp_path / "prod.json"
    path.write_bytes(artifact_bytes(1))
    changes: list[tuple[int, int]] = []
    watcher = amber.Watcher(path, on_change=lambda old, new: changes.append((old["n"], new["n"])))
    assert watcher.current["n"] == 1
    assert watcher.poll() is False
    replace(path, artifact_bytes(2))
    assert watcher.poll() is True
    assert watcher.current["n"] == 2
    assert changes == [(1, 2)]
    replace(path, artifact_bytes(2))  # same bytes, new inode and mtime: not a change
    assert watcher.poll() is False
    assert changes == [(1, 2)]


def test_a_configmap_data_symlink_swap_is_picked_up(tmp_path: Path) -> None:
    # How the kubelet updates a mounted ConfigMap: a new timestamped directory, then an atomic
    # rename of the `..data` symlink; the file the app opens is `prod.json -> ..data/prod.json`.
    mount = tmp_path / "config"
    (mount / "..2026_01_01").mkdir(parents=True)
    (mount / "..2026_01_01" / "prod.json").write_bytes(artifact_bytes(1))
    os.symlink("..2026_01_01", mount / "..data")
    os.symlink("..data/prod.json", mount / "prod.json")
    watcher = amber.Watcher(mount / "prod.json")
    assert watcher.current["n"] == 1
    (mount / "..2026_01_02").mkdir()
    (mount / "..2026_01_02" / "prod.json").write_bytes(artifact_bytes(2))
    os.symlink("..2026_01_02", mount / "..data_tmp")
    os.replace(mount / "..data_tmp", mount / "..data")
    assert watcher.poll() is True
    assert watcher.current["n"] == 2


@pytest.mark.parametrize(
    ("name", "damage"),
    [
        ("missing", lambda p: p.unlink()),
        ("truncated", lambda p: replace(p, artifact_bytes(3)[:100])),
        ("bad hash", lambda p: replace(p, artifact_bytes(3).replace(b'"n":3', b'"n":4'))),
        ("incompatible version", lambda p: replace(p, artifact_bytes(3, version="2.0.0"))),
        ("empty", lambda p: replace(p, b"")),
        ("directory", lambda p: (p.unlink(), p.mkdir())),
    ],
)
def test_a_bad_file_keeps_the_last_good_config(tmp_path: Path, name: str, damage: object) -> None:
    path = tmp_path / "prod.json"
    path.write_bytes(artifact_bytes(1))
    errors: list[amber.LoadError] = []
    watcher = amber.Watcher(path, expect="1.2", on_error=errors.append)
    damage(path)  # type: ignore[operator]
    assert watcher.poll() is False
    assert watcher.poll() is False
    assert watcher.current["n"] == 1
    assert len(errors) == 1  # reported once, not once per poll
    assert isinstance(errors[0], amber.LoadError) and str(path) in str(errors[0])
    if path.is_dir():
        path.rmdir()
    replace(path, artifact_bytes(5))
    assert watcher.poll() is True
    assert watcher.current["n"] == 5


def test_a_bad_file_at_startup_raises(tmp_path: Path) -> None:
    (tmp_path / "prod.json").write_bytes(b"{}")
    with pytest.raises(amber.LoadError):
        amber.watch(tmp_path / "prod.json")


def test_a_failing_callback_does_not_stop_the_watcher(tmp_path: Path) -> None:
    path = tmp_path / "prod.json"
    path.write_bytes(artifact_bytes(1))

    def explode(old: amber.Config, new: amber.Config) -> None:
        raise RuntimeError("callback bug")

    watcher = amber.Watcher(path, on_change=explode)
    replace(path, artifact_bytes(2))
    assert watcher.poll() is True
    replace(path, artifact_bytes(3))
    assert watcher.poll() is True
    assert watcher.current["n"] == 3


def test_readers_on_other_threads_only_see_complete_configs(tmp_path: Path) -> None:
    path = tmp_path / "prod.json"
    versions = [artifact_bytes(n, size=3000) for n in range(6)]
    path.write_bytes(versions[0])
    stop = threading.Event()
    seen: set[int] = set()
    torn: list[str] = []

    def read() -> None:
        while not stop.is_set():
            cfg = watcher.current
            n = cfg["n"]
            blob = cfg["blob"]
            if cfg["copy"] != n or len(blob) != 3000 or blob[2999] != n:
                torn.append(f"n={n}")
            seen.add(n)

    with amber.watch(path, interval=0.001) as watcher:
        readers = [threading.Thread(target=read) for _ in range(3)]
        for reader in readers:
            reader.start()
        deadline = time.monotonic() + 20
        for round_ in range(24):
            data = versions[round_ % len(versions)]
            if round_ % 4 == 3:
                path.write_bytes(data[: len(data) // 3])  # a half-written file now and then
            replace(path, data)
            while watcher.current.content_hash != amber.Config(data, "x").content_hash:
                assert time.monotonic() < deadline, "watcher did not pick up a replacement"
                time.sleep(0.001)
        stop.set()
        for reader in readers:
            reader.join()
    assert torn == []
    assert seen == set(range(6))


def test_without_expect_a_reload_keeps_what_the_app_started_with(tmp_path: Path) -> None:
    path = tmp_path / "prod.json"
    path.write_bytes(artifact_bytes(1, version="1.2.0"))
    errors: list[amber.LoadError] = []
    watcher = amber.Watcher(path, on_error=errors.append)
    replace(path, artifact_bytes(2, version="1.3.0"))  # a later minor only adds: served
    assert watcher.poll() is True and watcher.current["n"] == 2
    for version in ("1.1.0", "2.0.0"):  # an older minor or another major: refused
        replace(path, artifact_bytes(3, version=version))
        assert watcher.poll() is False
    assert watcher.current["n"] == 2
    assert [type(e) for e in errors] == [amber.VersionError, amber.VersionError]
    dev = artifact.to_bytes(artifact.envelope({"n": 4}, "dev", "1.3.0", {"compiler": "test"}))
    replace(path, dev)
    assert watcher.poll() is False
    assert "holds the dev artifact; this app serves prod" in str(errors[-1])
    assert watcher.current.environment == "prod"


def test_every_outage_is_reported_even_the_same_one_twice(tmp_path: Path) -> None:
    path = tmp_path / "prod.json"
    good = artifact_bytes(1)
    path.write_bytes(good)
    errors: list[amber.LoadError] = []
    watcher = amber.Watcher(path, on_error=errors.append)
    for _ in range(2):
        path.unlink()
        assert watcher.poll() is False
        assert watcher.poll() is False  # once per outage, not once per poll
        replace(path, good)  # back to the very bytes being served
        assert watcher.poll() is False
    assert len(errors) == 2


def test_stop_from_a_callback_and_start_again(tmp_path: Path) -> None:
    path = tmp_path / "prod.json"
    path.write_bytes(artifact_bytes(1))
    seen: list[int] = []
    watcher: amber.Watcher

    def on_change(old: amber.Config, new: amber.Config) -> None:
        seen.append(new["n"])
        watcher.stop()  # from the watcher's own thread: must not try to join itself

    watcher = amber.Watcher(path, on_change=on_change, interval=0.01).start()
    replace(path, artifact_bytes(2))
    deadline = time.monotonic() + 10
    while not seen and time.monotonic() < deadline:
        time.sleep(0.01)
    assert seen == [2]
    watcher.start()  # polls again after a stop
    replace(path, artifact_bytes(3))
    while len(seen) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert seen == [2, 3]
    watcher.stop()


@pytest.mark.parametrize("interval", [0, -1, float("nan"), float("inf")])
def test_the_interval_must_be_a_sensible_number(tmp_path: Path, interval: float) -> None:
    path = tmp_path / "prod.json"
    path.write_bytes(artifact_bytes(1))
    with pytest.raises(ValueError, match="interval must be a positive number of seconds"):
        amber.Watcher(path, interval=interval)


def test_typed_watching_hands_over_typed_configs(tmp_path: Path) -> None:
    """What a module `amber types` wrote passes as ``typed``: ``current`` and ``on_change`` see
    its objects, and a bad file keeps the last good typed config."""

    def typed(config: amber.Config) -> tuple[str, int]:
        return ("typed", config["n"])

    path = tmp_path / "prod.json"
    path.write_bytes(artifact_bytes(1))
    changes: list[tuple[tuple[str, int], tuple[str, int]]] = []
    with amber.watch(
        path, lambda old, new: changes.append((old, new)), 3600, typed=typed
    ) as watcher:
        assert isinstance(watcher, amber.TypedWatcher)
        assert watcher.current == ("typed", 1)
        replace(path, artifact_bytes(2))
        assert watcher.poll() is True and watcher.current == ("typed", 2)
        replace(path, artifact_bytes(3)[:-40])  # torn
        assert watcher.poll() is False and watcher.current == ("typed", 2)
        replace(path, artifact_bytes(2, version="1.1.0"))  # older than the app started with
        assert watcher.poll() is False and watcher.current == ("typed", 2)
        assert watcher.watcher.current["n"] == 2
    assert changes == [(("typed", 1), ("typed", 2))]
