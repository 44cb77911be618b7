"""`amber.load`: verified, read-only, lazily parsed; every bad input is one documented error."""

from __future__ import annotations

import copy
import json
import os
import pickle
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import amber
from amber import canonical
from amber.compiler import artifact
from tests.support.artifacts import hand_made, reseal
from tests.support.repo import ROOT, clean_env

GOLDEN = ROOT / "tests" / "golden" / "prod.json"
ENVIRON = {"GEMINI_API_KEY": "g-key", "OPENAI_API_KEY": "o-key", "ANTHROPIC_API_KEY": "a-key"}


@pytest.fixture
def prod(tmp_path: Path) -> Path:
    target = tmp_path / "prod.json"
    shutil.copy(GOLDEN, target)
    return target


def write_artifact(path: Path, config: dict[str, object], version: str = "1.2.0") -> Path:
    data = artifact.to_bytes(artifact.envelope(config, "prod", version, {"compiler": "test"}))
    path.write_bytes(data)
    return path


def test_load_reads_values_and_the_envelope(prod: Path) -> None:
    cfg = amber.load(prod, expect="1.2", environ=ENVIRON)
    assert cfg["interleaving"]["max_session_size"] == 40
    assert cfg.get("ai_provider.request_timeout_seconds", 99) == 30
    assert cfg.get("ai_provider.fallback_providers[1]") == "anthropic"
    assert cfg.get("ai_provider.nope", "dflt") == "dflt"
    assert cfg.get("nope.deeper", 7) == 7
    assert (cfg.environment, cfg.schema_version) == ("prod", "1.2.0")
    golden = json.loads(GOLDEN.read_bytes())
    assert cfg.content_hash == golden["content_hash"]
    assert cfg.provenance["compiler"] == golden["provenance"]["compiler"]
    assert sorted(cfg) == sorted(golden["config"])
    assert len(cfg) == len(golden["config"]) and "flags" in cfg and "nope" not in cfg


def test_values_are_read_only(prod: Path) -> None:
    cfg = amber.load(prod, environ=ENVIRON)
    section = cfg["interleaving"]
    with pytest.raises(TypeError):
        section["max_session_size"] = 1  # type: ignore[index]
    with pytest.raises(TypeError):
        cfg["interleaving"]["default_weights"].update({"due": 1})
    with pytest.raises(TypeError):
        cfg["spaced_repetition"]["available_algorithms"][0] = "fsrs"  # type: ignore[index]
    with pytest.raises(TypeError):
        del cfg["interleaving"]["default_weights"]["due"]
    with pytest.raises(TypeError):
        cfg["interleaving"]["default_weights"] |= {"due": 1}
    with pytest.raises(TypeError):
        cfg["debug"] = True  # type: ignore[index]
    assert cfg["interleaving"]["max_session_size"] == 40


def test_views_compare_hash_and_copy(prod: Path) -> None:
    cfg = amber.load(prod, environ=ENVIRON)
    weights = cfg["interleaving"]["default_weights"]
    assert weights == {"due": 0.6, "interleave": 0.25, "new": 0.15}
    assert isinstance(weights, dict) and json.loads(json.dumps(weights)) == weights
    algorithms = cfg["spaced_repetition"]["available_algorithms"]
    assert algorithms == ("sm2", "leitner")
    assert copy.deepcopy(weights) is weights and pickle.loads(pickle.dumps(weights)) == weights
    assert hash(weights) == hash(
        amber.load(prod, environ=ENVIRON)["interleaving"]["default_weights"]
    )
    assert {algorithms: 1}[algorithms] == 1
    plain = cfg.to_dict()
    plain["interleaving"]["max_session_size"] = 1
    assert cfg["interleaving"]["max_session_size"] == 40
    assert cfg == amber.load(prod, environ=ENVIRON)


def test_secrets_resolve_at_load_and_stay_masked(
    prod: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = amber.load(prod, environ=ENVIRON)
    secret = cfg["ai_provider"]["api_keys"]["openai"]
    assert isinstance(secret, amber.Secret)
    assert secret.reveal() == "o-key"
    assert "o-key" not in repr(secret) + str(secret) + repr(cfg["ai_provider"]) + str(cfg.to_dict())
    assert secret.path == "ai_provider.api_keys.openai"


def test_a_missing_secret_fails_the_load_unless_lazy(prod: Path) -> None:
    with pytest.raises(amber.SecretError) as caught:
        amber.load(prod, environ={"GEMINI_API_KEY": "g"})
    assert "'env:ANTHROPIC_API_KEY'" in str(caught.value)
    assert "ai_provider.api_keys.anthropic" in str(caught.value)
    lazy = amber.load(prod, secrets="lazy", environ={"GEMINI_API_KEY": "g"})
    assert lazy["ai_provider"]["api_keys"]["gemini"].reveal() == "g"
    with pytest.raises(amber.SecretError, match="OPENAI_API_KEY is not set"):
        lazy["ai_provider"]["api_keys"]["openai"].reveal()


def test_file_secrets(tmp_path: Path) -> None:
    (tmp_path / "token").write_text("s3cret\n")
    path = write_artifact(
        tmp_path / "a.json", {"db": {"password": {"$secret": f"file:{tmp_path}/token"}}}
    )
    assert amber.load(path)["db"]["password"].reveal() == "s3cret"
    (tmp_path / "token").unlink()
    with pytest.raises(amber.SecretError, match="cannot read"):
        amber.load(path)


@pytest.mark.parametrize(
    ("have", "expect", "ok"),
    [
        ("1.2.0", "1.2", True),
        ("1.2.7", "1.2", True),
        ("1.3.0", "1.2", True),
        ("1.2.0", "1.2.1", False),
        ("1.1.9", "1.2", False),
        ("2.0.0", "1.2", False),
        ("1.2.0", "2", False),
    ],
)
def test_expect(tmp_path: Path, have: str, expect: str, ok: bool) -> None:
    path = write_artifact(tmp_path / "prod.json", {"a": 1}, version=have)
    if ok:
        assert amber.load(path, expect=expect).schema_version == have
        return
    with pytest.raises(amber.VersionError) as caught:
        amber.load(path, expect=expect)
    message = str(caught.value)
    assert f"schema version {have}" in message and "amber build prod --version" in message


def test_the_wrong_version_is_said_before_a_missing_secret(prod: Path) -> None:
    # An app built for 2.x gets the artifact of 1.2.0 and none of its secrets.
    with pytest.raises(amber.VersionError, match=r"schema version 1\.2\.0"):
        amber.load(prod, expect="2", environ={})


def test_expect_must_be_a_version(prod: Path) -> None:
    with pytest.raises(ValueError, match="not a version"):
        amber.load(prod, expect="latest", environ=ENVIRON)


def corrupt(data: bytes, at: int, byte: int) -> bytes:
    return data[:at] + bytes([byte]) + data[at + 1 :]


BAD = {
    "empty file": (lambda d: b"", amber.IntegrityError, "empty file"),
    "truncated": (lambda d: d[: len(d) // 2], amber.IntegrityError, "truncated"),
    "truncated tail": (lambda d: d[:-1], amber.IntegrityError, "truncated"),
    "flipped byte in config": (
        lambda d: d.replace(b'"max_session_size":40', b'"max_session_size":41'),
        amber.IntegrityError,
        "seal mismatch",
    ),
    "config edited and resealed": (
        lambda d: reseal(d.replace(b'"max_session_size":40', b'"max_session_size":41')),
        amber.IntegrityError,
        "content hash mismatch",
    ),
    "content_hash too long": (
        lambda d: reseal(d.replace(b'"content_hash":"sha256:', b'"content_hash":"sha256:0', 1)),
        amber.IntegrityError,
        "bad content_hash",
    ),
    "not an artifact": (
        lambda d: b'{"hello": "world"}',
        amber.IntegrityError,
        "not an amber artifact",
    ),
    "not JSON": (lambda d: b"\x00\x01binary", amber.IntegrityError, "not JSON"),
    "newer format": (
        lambda d: d.replace(b'{"amber":2,', b'{"amber":3,', 1),
        amber.VersionError,
        "artifact format 3 is newer",
    ),
    "hand edited": (
        lambda d: json.dumps(json.loads(d), indent=2).encode(),
        amber.IntegrityError,
        "canonical",
    ),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_artifacts_raise_the_documented_error(prod: Path, name: str) -> None:
    mutate, kind, message = BAD[name]
    prod.write_bytes(mutate(prod.read_bytes()))
    with pytest.raises(kind, match=message) as caught:
        amber.load(prod, environ=ENVIRON)
    assert isinstance(caught.value, amber.LoadError)
    assert str(prod) in str(caught.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(amber.LoadError, match="no such file"):
        amber.load(tmp_path / "nope.json")
    with pytest.raises(amber.LoadError, match="is a directory"):
        amber.load(tmp_path)


def test_changed_content_hash_is_refused(prod: Path) -> None:
    data = prod.read_bytes()
    start = data.index(b'"content_hash":"sha256:') + len(b'"content_hash":"sha256:')
    flipped = b"0" if data[start : start + 1] != b"0" else b"1"
    prod.write_bytes(reseal(data[:start] + flipped + data[start + 1 :]))
    with pytest.raises(amber.IntegrityError, match="content hash mismatch"):
        amber.load(prod, environ=ENVIRON)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_mutation_gives_the_original_config_or_the_documented_error(
    tmp_path: Path, data: st.DataObject
) -> None:
    original = GOLDEN.read_bytes()
    expected = json.loads(original)["config"]
    mutated = bytearray(original)
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(mutated) - 1))
        mutated[at] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        mutated = mutated[: data.draw(st.integers(0, len(mutated)))]
    path = tmp_path / "mutated.json"
    path.write_bytes(bytes(mutated))
    try:
        cfg = amber.load(path, secrets="lazy")
        loaded = {key: cfg[key] for key in cfg}
    except amber.LoadError:
        return
    plain = json.loads(json.dumps(loaded, default=lambda secret: {"$secret": secret.reference}))
    assert plain == expected


def test_sections_are_parsed_only_when_read(tmp_path: Path) -> None:
    big = {"small": {"a": 1}, "tenants": {f"t{i}": {"limit": i} for i in range(2000)}}
    path = write_artifact(tmp_path / "big.json", big)
    cfg = amber.load(path)
    assert cfg["small"]["a"] == 1
    assert list(cfg._sections) == ["small"]
    assert cfg["tenants"]["t1999"]["limit"] == 1999
    assert cfg.to_dict() == big


def test_an_artifact_without_a_section_index_still_loads(tmp_path: Path) -> None:
    config = {"a": {"b": [1, 2]}, "s": {"$secret": "env:X"}}
    envelope = {
        "amber": 2,
        "config": config,
        "content_hash": canonical.content_hash(config),
        "environment": "x",
        "provenance": {},
        "schema_version": "1.0.0",
    }
    path = tmp_path / "x.json"
    path.write_bytes(artifact.to_bytes(envelope))
    cfg = amber.load(path, environ={"X": "v"})
    assert cfg.get("a.b[1]") == 2 and cfg["s"].reveal() == "v"


def test_a_corrupt_section_index_is_refused(prod: Path) -> None:
    data = prod.read_bytes()
    start = data.index(b'"sections":{"ai_provider":[1,') + len(b'"sections":{"ai_provider":[')
    prod.write_bytes(reseal(data[:start] + b"2" + data[start + 1 :]))
    with pytest.raises(amber.IntegrityError, match="section index"):
        amber.load(prod, environ=ENVIRON)


def test_concurrent_readers_of_lazy_sections_agree(tmp_path: Path) -> None:
    path = write_artifact(tmp_path / "a.json", {f"s{i}": {"v": list(range(50))} for i in range(40)})
    cfg = amber.load(path)
    seen: list[object] = []

    def read() -> None:
        seen.extend(cfg[f"s{i}"]["v"][49] for i in range(40))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [49] * 320


def test_loading_imports_nothing_from_the_compiler() -> None:
    script = (
        "import sys, amber\n"
        f"cfg = amber.load({str(GOLDEN)!r}, secrets='lazy')\n"
        "cfg['interleaving']['max_session_size']\n"
        "cfg.flag('adaptive_learning', {'targetingKey': 'u1'}, False)\n"
        "heavy = {'_gojsonnet', 'rjsonnet', 'jsonschema', 'click', 'yaml'}\n"
        "rooms = ('amber.compiler', 'amber.publish', 'amber.cli')\n"
        "print(sorted(m for m in sys.modules if m in heavy or m.startswith(rooms)))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] not in sys.stdlib_module_names"
        " and m.split('.')[0] not in ('amber', 'mmh3', '__main__', '_distutils_hack')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=clean_env(), check=True
    )
    assert done.stdout.splitlines() == ["[]", "[]"]


def test_a_file_replaced_while_being_read(tmp_path: Path) -> None:
    """Loads racing replacements see one whole artifact or the documented error, nothing else."""
    path = tmp_path / "prod.json"
    versions = [
        write_artifact(tmp_path / f"v{n}.json", {"n": n, "pad": "x" * 200_000}).read_bytes()
        for n in range(2)
    ]
    path.write_bytes(versions[0])
    stop = threading.Event()

    def replace_atomically() -> None:
        n = 0
        while not stop.is_set():
            temp = tmp_path / "next.tmp"
            temp.write_bytes(versions[n % 2])
            os.replace(temp, path)
            n += 1

    def rewrite_in_place() -> None:  # what `cp new.json prod.json` does
        n = 0
        while not stop.is_set():
            with open(path, "wb") as handle:
                data = versions[n % 2]
                handle.write(data[: len(data) // 2])
                handle.flush()
                handle.write(data[len(data) // 2 :])
            n += 1

    for writer in (replace_atomically, rewrite_in_place):
        thread = threading.Thread(target=writer)
        thread.start()
        outcomes = set()
        try:
            for _ in range(150):
                try:
                    outcomes.add(amber.load(path)["n"])
                except amber.LoadError:
                    outcomes.add("refused")
        finally:
            stop.set()
            thread.join()
            stop.clear()
        assert outcomes <= {0, 1, "refused"}
        if writer is replace_atomically:
            assert "refused" not in outcomes  # an atomic replace is never seen half done


@pytest.mark.parametrize(
    ("config", "why"),
    [
        (b'{"a":NaN}', "NaN is not JSON"),
        (b'{"a":-Infinity}', "-Infinity is not JSON"),
        (b'{"a":1,"a":2}', "duplicate key"),
        (b'{"a":{"b":1,"b":1}}', "duplicate key"),
    ],
)
def test_values_json_does_not_have_are_refused(tmp_path: Path, config: bytes, why: str) -> None:
    path = tmp_path / "prod.json"
    path.write_bytes(hand_made(config))
    with pytest.raises(amber.IntegrityError, match=why):
        amber.load(path).to_dict()


def test_arguments_of_the_wrong_kind_are_refused(prod: Path) -> None:
    with pytest.raises(TypeError, match="expect must be a string"):
        amber.load(prod, expect=1.2, environ=ENVIRON)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="secrets must be 'eager' or 'lazy'"):
        amber.load(prod, secrets="later", environ=ENVIRON)  # type: ignore[arg-type]


def test_a_config_too_deep_for_python_is_a_load_error(tmp_path: Path) -> None:
    # Amber never writes one (it caps depth at 100); another producer might.
    deep = b'{"$secret":"env:X"}'
    for _ in range(400):  # parses, but binding its secret would recurse too far
        deep = b'{"a":[' + deep + b"]}"
    path = tmp_path / "prod.json"
    path.write_bytes(hand_made(b'{"s":' + deep + b"}"))
    with pytest.raises(amber.IntegrityError, match="section 's' nests too deeply"):
        amber.load(path, environ={"X": "x"})
    plain = b"1"
    for _ in range(1500):
        plain = b"[" + plain + b"]"
    path.write_bytes(hand_made(b'{"s":' + plain + b"}"))
    with pytest.raises(amber.IntegrityError, match=r"nests too deeply|nested too deeply"):
        amber.load(path).to_dict()


def test_copies_of_a_config_with_secrets_share_the_secrets(prod: Path) -> None:
    cfg = amber.load(prod, environ=ENVIRON)
    plain = copy.deepcopy(cfg.to_dict())
    secret = plain["ai_provider"]["api_keys"]["openai"]
    assert copy.copy(secret) is secret and secret.reveal() == "o-key"
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(secret)
