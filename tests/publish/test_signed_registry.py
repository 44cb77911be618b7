"""Trusted delivery through a real OCI registry (Debian's docker-registry on loopback): signed
publishes, every attack refused with the good config kept, apps following a tag with a cache
for restarts while the registry is down, and a registry that answers garbage."""

from __future__ import annotations

import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import amber
from amber.compiler import artifact
from amber.publish import oci, oci_signatures
from amber.publish.signing import Signer, SigningKey, keygen, load_key
from amber.runtime.registry import Reference, Registry
from tests.support.registry import BINARY, registry
from tests.support.repo import amber as run_amber
from tests.support.repo import clean_env, copy_reference

if shutil.which(BINARY) is None and not Path("/usr/bin/docker-registry").exists():
    pytest.skip(
        "the docker-registry binary is not installed (.ci/run installs it)",
        allow_module_level=True,
    )


@pytest.fixture
def host(tmp_path: Path) -> Iterator[str]:
    with registry(tmp_path / "registry") as address:
        yield address


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[SigningKey, Path]]:
    directory = tmp_path_factory.mktemp("keys")
    out = {}
    for name in ("ci", "stranger"):
        private, public = keygen(directory / name)
        out[name] = (load_key(str(private)), public)
    return out


def make(n: int, env: str = "prod") -> bytes:
    return artifact.to_bytes(artifact.envelope({"n": n}, env, "1.2.0", {"compiler": "test"}))


def test_cli_signs_on_publish_and_verifies_on_pull(host: str, tmp_path: Path) -> None:
    repo = copy_reference(tmp_path / "repo")
    env = clean_env(AMBER_CACHE_DIR=str(tmp_path / "cache"))
    run_amber("keygen", "ci", cwd=repo, env=env, check=0)
    run_amber("build", "-q", cwd=repo, env=env, check=0)
    target = f"oci://{host}/learnapp/config"
    out = run_amber(
        "publish",
        "--to",
        target,
        "--sign",
        "ci.key",
        "--expires",
        "30d",
        cwd=repo,
        env=env,
        check=0,
    ).out
    assert out.count(", signed)") == 3
    pulled = run_amber(
        "pull", f"{target}:prod-1.2", "-o", "app/prod.json", "--trust", "ci.pub", cwd=repo, env=env
    )
    assert pulled.code == 0, pulled.err
    config = amber.load(repo / "app" / "prod.json", trust=repo / "ci.pub", secrets="lazy")
    assert config.signed is not None and config.signed.environment == "prod"
    assert config.signed.expires is not None
    run_amber("keygen", "other", cwd=repo, env=env, check=0)
    refused = run_amber(
        "pull", f"{target}:prod-1.2", "-o", "x.json", "--trust", "other.pub", cwd=repo, env=env
    )
    assert refused.code == 1 and "signed by a key this app does not trust" in refused.err
    assert not (repo / "x.json").exists()
    # the key from a CI secret: env:VAR
    key_env = {**env, "AMBER_SIGNING_KEY": (repo / "ci.key").read_text()}
    run_amber(
        "publish", "--to", target, "--sign", "env:AMBER_SIGNING_KEY", cwd=repo, env=key_env, check=0
    )


def test_registry_attacks_are_refused_and_the_good_config_stays(
    host: str, tmp_path: Path, keys: dict
) -> None:
    ci, ci_pub = keys["ci"]
    reference = Reference.parse(f"oci://{host}/team/config")
    follow = f"oci://{host}/team/config:prod-1.2"
    oci.push(reference, make(1), "prod.json", signer=Signer(ci))
    watcher = amber.Watcher(follow, trust=ci_pub, interval=3600)
    assert watcher.current["n"] == 1
    client = Registry(host)

    def attempt(why: str) -> None:
        with pytest.raises(amber.SignatureError, match=why):
            oci.fetch(Reference.parse(follow), trust=ci_pub)
        assert watcher.poll() is False and watcher.current["n"] == 1

    good_manifest, good_digest = client.get_manifest("team/config", "prod-1.2")
    good_envelope = client.get_blob(
        "team/config",
        json.loads(
            client.get_manifest("team/config", oci_signatures.signature_tag(good_digest))[0]
        )["layers"][0]["digest"],
    )
    # unsigned
    oci.push(reference, make(2), "prod.json")
    attempt("not signed")
    # tampered bytes with a recomputed hash, and the good signature copied over
    pushed = oci.push(reference, make(3), "prod.json")
    subject, _ = client.get_manifest("team/config", pushed.digest)
    oci_signatures.attach(client, "team/config", subject, good_envelope)
    attempt("over other bytes")
    # a key nobody trusts
    oci.push(reference, make(4), "prod.json", signer=Signer(keys["stranger"][0]))
    attempt("does not trust")
    # prod's signed statement attached to dev's artifact, served under prod's tag
    dev = oci.push(reference, make(5, "dev"), "dev.json")
    dev_manifest, _ = client.get_manifest("team/config", dev.digest)
    oci_signatures.attach(client, "team/config", dev_manifest, good_envelope)
    client.put_manifest("team/config", "prod-1.2", dev_manifest)
    attempt("over other bytes")
    # a newer good publish is taken; then the old one, validly signed, is replayed
    oci.push(reference, make(6), "prod.json", signer=Signer(ci))
    assert watcher.poll() is True and watcher.current["n"] == 6
    client.put_manifest("team/config", "prod-1.2", good_manifest)
    assert watcher.poll() is False and watcher.current["n"] == 6
    # an intended rollback is signed anew under a higher sequence, and taken
    first = json.loads(make(1))["content_hash"]
    oci.rollback(reference, "prod", "1.2", first, signer=Signer(ci))
    assert watcher.poll() is True and watcher.current["n"] == 1
    assert watcher.current.signed is not None and watcher.current.signed.sequence > 2


def test_following_a_registry_through_outages(host: str, tmp_path: Path, keys: dict) -> None:
    ci, ci_pub = keys["ci"]
    reference = Reference.parse(f"oci://{host}/team/app")
    follow = f"oci://{host}/team/app:prod-1.2"
    oci.push(reference, make(1), "prod.json", signer=Signer(ci))
    cache = tmp_path / "cache"
    watcher = amber.Watcher(follow, trust=ci_pub, cache_dir=cache, interval=3600)
    oci.push(reference, make(2), "prod.json", signer=Signer(ci))
    assert watcher.poll() is True and watcher.current["n"] == 2
    assert sorted(p.suffix for p in cache.iterdir()) == [".json", ".sig"]
    errors: list[amber.LoadError] = []
    watcher._on_error = errors.append  # on_error, set after the start it does not concern
    shutil.rmtree(tmp_path / "registry" / "data")  # the registry loses everything
    assert watcher.poll() is False and watcher.current["n"] == 2
    assert errors and "does not exist" in str(errors[0])


def test_a_restart_while_the_registry_is_away(
    tmp_path: Path, keys: dict, caplog: pytest.LogCaptureFixture
) -> None:
    ci, ci_pub = keys["ci"]
    cache = tmp_path / "cache"
    with registry(tmp_path / "registry") as address:
        follow = f"oci://{address}/team/app:prod-1.2"
        oci.push(Reference.parse(f"oci://{address}/team/app"), make(7), "p.json", signer=Signer(ci))
        amber.Watcher(follow, trust=ci_pub, cache_dir=cache)
    # the registry is gone: the cache starts the app, verified again
    restarted = amber.Watcher(follow, trust=ci_pub, cache_dir=cache, interval=3600)
    assert restarted.current["n"] == 7 and restarted.poll() is False
    with pytest.raises(amber.LoadError, match="cannot reach the registry"):
        amber.Watcher(follow, trust=ci_pub)  # no cache: nothing verified to start from
    # a tampered cache is refused like any other artifact
    cached = next(p for p in cache.iterdir() if p.suffix == ".json")
    cached.write_bytes(make(8))
    with pytest.raises(amber.LoadError, match="cannot reach the registry"):
        amber.Watcher(follow, trust=ci_pub, cache_dir=cache)
    assert "not starting from" in caplog.text and "over other bytes" in caplog.text


class Hostile(http.server.BaseHTTPRequestHandler):
    """A registry that answers garbage (``/v2/garbage/``) or an endless body (``/v2/huge/``)."""

    def do_HEAD(self) -> None:
        self.send_response(200)
        self.send_header("Docker-Content-Digest", "sha256:" + "0" * 64)
        self.end_headers()

    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        if "/huge/" in self.path:
            chunk = b"x" * (1 << 20)
            for _ in range(16):
                self.wfile.write(chunk)
        else:
            self.wfile.write(b"\x00\xffnot a manifest")

    def log_message(self, *_: object) -> None:
        pass


def test_a_registry_answering_garbage_or_a_huge_body(tmp_path: Path, keys: dict) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        address = f"127.0.0.1:{server.server_address[1]}"
        with pytest.raises(amber.AmberError, match="is not an amber artifact"):
            oci.fetch(Reference.parse(f"oci://{address}/garbage/x:prod-1.2"))
        with pytest.raises(amber.AmberError, match="over 4194304 bytes"):
            oci.fetch(Reference.parse(f"oci://{address}/huge/x:prod-1.2"))
        with pytest.raises(amber.LoadError, match="is not an amber artifact"):
            amber.Watcher(f"oci://{address}/garbage/x:prod-1.2", trust=keys["ci"][1])
    finally:
        server.shutdown()


def test_another_environments_manifest_under_the_tag_is_refused(
    host: str, tmp_path: Path, keys: dict
) -> None:
    ci, ci_pub = keys["ci"]
    repository = Reference.parse(f"oci://{host}/team/app")
    oci.push(repository, make(1, "prod"), "prod.json", signer=Signer(ci))
    oci.push(repository, make(9, "dev"), "dev.json", signer=Signer(ci))
    registry_ = Registry(host)
    manifest, _ = registry_.get_manifest("team/app", "dev-1.2")
    registry_.put_manifest("team/app", "prod-1.2", manifest)  # no key needed for this
    follow = Reference.parse(f"oci://{host}/team/app:prod-1.2")
    with pytest.raises(amber.SignatureError, match="signed for environment dev"):
        amber.Watcher(str(follow), trust=ci_pub)
    with pytest.raises(amber.SignatureError, match="signed for environment dev"):
        oci.fetch(follow, trust=ci_pub)


def test_an_unsigned_manifest_is_refused_before_its_blob_is_fetched(host: str, keys: dict) -> None:
    _, ci_pub = keys["ci"]
    oci.push(Reference.parse(f"oci://{host}/team/app"), make(1), "p.json")  # not signed
    with pytest.raises(amber.SignatureError, match=r"not signed: no sha256-[0-9a-f]{64}\.att"):
        amber.Watcher(f"oci://{host}/team/app:prod-1.2", trust=ci_pub)


def test_a_server_that_does_not_speak_http_is_a_load_error(tmp_path: Path) -> None:
    import socketserver

    class Garbage(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.recv(65536)
            self.request.sendall(b"\x00\x01 this is not HTTP\r\n\r\n")

    with socketserver.TCPServer(("127.0.0.1", 0), Garbage) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        address = f"127.0.0.1:{server.server_address[1]}"
        try:
            with pytest.raises(amber.LoadError, match="cannot reach the registry"):
                amber.Watcher(f"oci://{address}/team/app:prod-1.2")
        finally:
            server.shutdown()
