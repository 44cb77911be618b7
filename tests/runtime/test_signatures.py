"""Signed artifacts, file by file: every attack is refused with the reason, and the good config
stays.  (The registry's attacks are in tests/publish/test_signed_registry.py.)"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import amber
from amber.canonical import sha256_tag
from amber.compiler import artifact
from amber.publish import directory
from amber.publish.signing import Signer, SigningKey, keygen, load_key, sign
from amber.runtime.config import Config
from amber.runtime.signatures import signature_path
from tests.support.artifacts import reseal


def make(n: int, env: str = "prod") -> bytes:
    return artifact.to_bytes(artifact.envelope({"n": n, "env": env}, env, "1.2.0", {}))


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[SigningKey, Path]]:
    """Three key pairs: ci (the publisher), next (a rotation), stranger (nobody trusts it)."""
    directory_ = tmp_path_factory.mktemp("keys")
    out = {}
    for name in ("ci", "next", "stranger"):
        private, public = keygen(directory_ / name)
        out[name] = (load_key(str(private)), public)
    return out


def signed_file(
    path: Path, data: bytes, key: SigningKey, sequence: int = 1, about: bytes | None = None
) -> Path:
    """``data`` at ``path`` with a signature beside it (by ``key``, about ``about``'s config)."""
    path.write_bytes(data)
    config = Config(about or data, str(path), secrets="lazy")
    Path(signature_path(path)).write_bytes(sign(data, config, key, sequence))
    return path


def signed_store(store: Path, signer: Signer, *artifacts: bytes) -> Path:
    """A directory store with each artifact published in turn, signed: the store."""
    for index, data in enumerate(artifacts):
        directory.publish(store, data, f"v{index}.json", signer)
    return store


def test_keygen_writes_a_private_key_only_its_owner_reads(tmp_path: Path) -> None:
    private, public = keygen(tmp_path / "team")
    assert private.stat().st_mode & 0o777 == 0o600
    assert public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    with pytest.raises(amber.AmberError, match="never overwrites"):
        keygen(tmp_path / "team")


def test_a_signed_artifact_loads_and_says_who_signed(tmp_path: Path, keys: dict) -> None:
    path = signed_file(tmp_path / "prod.json", make(1), keys["ci"][0], sequence=7)
    config = amber.load(path, trust=keys["ci"][1])
    assert config["n"] == 1 and config.signed is not None
    assert config.signed.sequence == 7 and config.signed.keyid == keys["ci"][0].keyid
    # through a symlink (a store pointer, a ConfigMap's ..data): the signature of the target
    link = tmp_path / "pointer"
    os.symlink(path.name, link)
    assert amber.load(link, trust=[keys["ci"][1]])["n"] == 1


def test_attacks_are_refused_with_their_reason(tmp_path: Path, keys: dict) -> None:
    ci, ci_pub = keys["ci"]
    unsigned = tmp_path / "unsigned.json"
    unsigned.write_bytes(make(1))
    with pytest.raises(amber.SignatureError, match="not signed: no signature at"):
        amber.load(unsigned, trust=ci_pub)

    good = signed_file(tmp_path / "good.json", make(1), ci)
    tampered = tmp_path / "tampered.json"
    shutil.copy(signature_path(good), signature_path(tampered))
    edited = good.read_bytes().replace(b'"n":1', b'"n":2')
    data = artifact.to_bytes(artifact.envelope({"env": "prod", "n": 2}, "prod", "1.2.0", {}))
    assert reseal(edited) != edited  # an attacker can reseal and rehash; not re-sign
    tampered.write_bytes(data)
    with pytest.raises(amber.SignatureError, match="over other bytes"):
        amber.load(tampered, trust=ci_pub)

    stranger = signed_file(tmp_path / "stranger.json", make(1), keys["stranger"][0])
    with pytest.raises(amber.SignatureError, match="a key this app does not trust"):
        amber.load(stranger, trust=ci_pub)

    # prod's signed statement beside dev's artifact: over other bytes
    dev = tmp_path / "dev.json"
    dev.write_bytes(make(1, "dev"))
    shutil.copy(signature_path(good), signature_path(dev))
    with pytest.raises(amber.SignatureError, match="over other bytes"):
        amber.load(dev, trust=ci_pub)
    # a statement about dev's bytes that names prod: for another environment
    mixed = signed_file(tmp_path / "mixed.json", make(1, "dev"), ci, about=make(1, "prod"))
    with pytest.raises(
        amber.SignatureError, match="the signature is for prod, this artifact is dev"
    ):
        amber.load(mixed, trust=ci_pub)

    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(make(1))
    Path(signature_path(garbage)).write_bytes(b"{not json")
    with pytest.raises(amber.SignatureError, match="not a DSSE envelope"):
        amber.load(garbage, trust=ci_pub)
    Path(signature_path(garbage)).write_bytes(b" " * (2 << 20))
    with pytest.raises(amber.SignatureError, match="too large"):
        amber.load(garbage, trust=ci_pub)


def test_key_rotation(tmp_path: Path, keys: dict) -> None:
    by_old = signed_file(tmp_path / "old.json", make(1), keys["ci"][0])
    by_new = signed_file(tmp_path / "new.json", make(2), keys["next"][0])
    both = [keys["ci"][1], keys["next"][1]]
    assert amber.load(by_old, trust=both)["n"] == 1
    assert amber.load(by_new, trust=both)["n"] == 2
    assert amber.load(by_new, trust=[keys["next"][1]])["n"] == 2
    with pytest.raises(amber.SignatureError, match="does not trust"):
        amber.load(by_old, trust=[keys["next"][1]])


def test_an_expired_signature_is_a_warning(
    tmp_path: Path, keys: dict, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "prod.json"
    path.write_bytes(make(1))
    config = Config(make(1), str(path))
    envelope = sign(make(1), config, keys["ci"][0], 1, expires="2020-01-01T00:00:00Z")
    Path(signature_path(path)).write_bytes(envelope)
    with caplog.at_level(logging.WARNING, logger="amber"):
        assert amber.load(path, trust=keys["ci"][1])["n"] == 1
    assert "its signature expired at 2020-01-01T00:00:00Z" in caplog.text


def test_a_watcher_refuses_a_replay_and_accepts_a_signed_rollback(
    tmp_path: Path, keys: dict
) -> None:
    ci, ci_pub = keys["ci"]
    signer = Signer(ci)
    store = signed_store(tmp_path / "store", signer, make(1), make(2))
    watcher = amber.Watcher(store / "prod" / "1.2", trust=ci_pub)
    assert watcher.current["n"] == 2 and watcher.current.signed.sequence == 2  # type: ignore[union-attr]
    directory.rollback(store, "prod")  # moved back without signing anew: a replay
    assert watcher.poll() is False and watcher.current["n"] == 2
    directory.publish(store, make(2), "v2.json", signer)  # forward again: signed anew, 3
    assert watcher.poll() is True and watcher.current["n"] == 2
    to_v1 = sha256_tag(make(1))
    directory.rollback(store, "prod", to_hash=to_v1, signer=signer)  # intended: sequence 4
    assert watcher.poll() is True and watcher.current["n"] == 1
    assert watcher.current.signed.sequence == 4  # type: ignore[union-attr]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(["publish", "signed-rollback", "replay", "replay-file"]), max_size=8)
)
def test_no_sequence_of_operations_moves_a_watcher_back(
    tmp_path_factory: pytest.TempPathFactory, keys: dict, operations: list[str]
) -> None:
    ci, ci_pub = keys["ci"]
    store = tmp_path_factory.mktemp("store")
    signer = Signer(ci)
    directory.publish(store, make(0), "v0.json", signer)
    directory.publish(store, make(1), "v1.json", signer)
    watcher = amber.Watcher(store / "prod" / "1.2", trust=ci_pub)
    served = [watcher.current.signed.sequence]  # type: ignore[union-attr]
    counter = 1
    for operation in operations:
        if operation == "publish":
            counter += 1
            directory.publish(store, make(counter), f"v{counter}.json", signer)
        elif operation in ("signed-rollback", "replay"):
            with contextlib.suppress(amber.AmberError):  # nothing to go back to
                directory.rollback(
                    store, "prod", signer=signer if operation == "signed-rollback" else None
                )
        else:  # an attacker points the pointer at the oldest object by hand
            pointer, oldest = (
                store / "prod" / "1.2",
                directory.object_path(store, directory.history(store, "prod")[0]["to"]),
            )
            temp = store / "prod" / ".attack"
            os.symlink(os.path.relpath(oldest, pointer.parent), temp)
            os.replace(temp, pointer)
        watcher.poll()
        served.append(watcher.current.signed.sequence)  # type: ignore[union-attr]
    assert served == sorted(served)


# Found by a review that attacked the delivery path (each was accepted, hung or crashed before).


def test_another_environments_signed_artifact_in_a_pointer_is_refused(
    tmp_path: Path, keys: dict
) -> None:
    ci, ci_pub = keys["ci"]
    store = signed_store(tmp_path / "store", Signer(ci), make(1, "prod"), make(9, "dev"))
    pointer = store / "prod" / "1.2"
    assert amber.load(pointer, trust=ci_pub)["n"] == 1
    # someone who can write the store, not sign, points prod at dev's validly signed object
    dev_object = os.readlink(store / "dev" / "1.2")
    os.remove(pointer)
    os.symlink(dev_object, pointer)
    with pytest.raises(amber.SignatureError, match="signed for environment dev, but this app"):
        amber.load(pointer, trust=ci_pub)
    with pytest.raises(amber.SignatureError, match="signed for environment dev"):
        amber.Watcher(pointer, trust=ci_pub)
    # a file outside a store says nothing by its place: the app can say which it serves
    copy = shutil.copy(store / "dev" / "1.2", tmp_path / "config.json")
    shutil.copy(signature_path(store / "dev" / "1.2"), signature_path(copy))
    assert amber.load(copy, trust=ci_pub)["n"] == 9
    with pytest.raises(amber.SignatureError, match="signed for environment dev"):
        amber.load(copy, trust=ci_pub, environment="prod")


def test_a_restart_never_goes_below_the_cached_copy(
    tmp_path: Path, keys: dict, caplog: pytest.LogCaptureFixture
) -> None:
    ci, ci_pub = keys["ci"]
    store = signed_store(tmp_path / "store", Signer(ci), make(1), make(2))
    cache = tmp_path / "cache"
    amber.Watcher(store / "prod" / "1.2", trust=ci_pub, cache_dir=cache)  # caches sequence 2
    directory.rollback(store, "prod")  # unsigned move back to sequence 1: a replay
    restarted = amber.Watcher(store / "prod" / "1.2", trust=ci_pub, cache_dir=cache)
    assert restarted.current["n"] == 2 and "refusing to go back" in caplog.text
    # and a source that is refused outright at restart starts from the cache, too
    Path(signature_path(store / "prod" / "1.2")).write_bytes(b"{}")
    assert amber.Watcher(store / "prod" / "1.2", trust=ci_pub, cache_dir=cache).current["n"] == 2


def test_a_fifo_or_a_device_in_place_of_a_file_is_refused_at_once(
    tmp_path: Path, keys: dict
) -> None:
    ci, ci_pub = keys["ci"]
    artifact_file = signed_file(tmp_path / "a.json", make(1), ci)
    os.remove(signature_path(artifact_file))
    os.mkfifo(signature_path(artifact_file))  # nobody ever writes to it
    outcome: list[amber.LoadError] = []

    def attempt() -> None:
        try:
            amber.load(artifact_file, trust=ci_pub)
        except amber.LoadError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "a FIFO signature hung the load"
    assert isinstance(outcome[0], amber.SignatureError)
    assert "not a regular file" in str(outcome[0])
    with pytest.raises(amber.LoadError, match="not a regular file"):
        amber.load("/dev/zero")


def test_trust_that_is_not_a_list_of_public_keys_is_said_so(tmp_path: Path, keys: dict) -> None:
    ci, ci_pub = keys["ci"]
    artifact_file = signed_file(tmp_path / "a.json", make(1), ci)
    for wrong in (b"ci.pub", [None], 123):
        with pytest.raises(amber.SignatureError, match="trust= takes the path"):
            amber.load(artifact_file, trust=wrong)  # type: ignore[arg-type]
    private = ci_pub.with_suffix(".key")
    with pytest.raises(amber.SignatureError, match="a private key, not a public one"):
        amber.load(artifact_file, trust=private)
    Path(signature_path(artifact_file)).write_bytes(b"[" * 100_000)
    with pytest.raises(amber.SignatureError, match="not a DSSE envelope"):
        amber.load(artifact_file, trust=ci_pub)


def test_a_signature_written_again_differently_is_not_a_change(tmp_path: Path, keys: dict) -> None:
    ci, ci_pub = keys["ci"]
    store = signed_store(tmp_path / "store", Signer(ci), make(1))
    seen: list[int] = []
    watcher = amber.Watcher(
        store / "prod" / "1.2", trust=ci_pub, on_change=lambda old, new: seen.append(new["n"])
    )
    sig = Path(signature_path(store / "prod" / "1.2"))
    sig.write_text(json.dumps(json.loads(sig.read_bytes()), indent=4))  # same statement
    assert watcher.poll() is False and seen == []
    directory.publish(store, make(2), "v2.json", Signer(ci))
    assert watcher.poll() is True and seen == [2]
