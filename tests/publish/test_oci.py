"""Publishing to a real OCI registry on loopback (Debian's docker-registry), and pulling back."""

from __future__ import annotations

import base64
import json
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import amber
from amber.compiler import artifact
from amber.errors import LoadError, UsageError
from amber.publish import oci
from amber.runtime import registry as client
from amber.runtime.registry import Reference
from tests.support.registry import BINARY, registry
from tests.support.repo import amber as run_amber
from tests.support.repo import clean_env, copy_reference

if shutil.which(BINARY) is None and not Path("/usr/bin/docker-registry").exists():
    pytest.skip(
        "the docker-registry binary is not installed (apt-get install docker-registry; "
        ".ci/run installs it)",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with registry(tmp_path_factory.mktemp("registry")) as address:
        yield address


def make(n: int, env: str = "prod", version: str = "1.2.0") -> bytes:
    provenance = {"compiler": "test", "git": {"commit": "c0ffee", "dirty": False}}
    return artifact.to_bytes(artifact.envelope({"n": n}, env, version, provenance))


def manifest(host: str, repository: str, reference: str) -> dict[str, object]:
    request = urllib.request.Request(
        f"http://{host}/v2/{repository}/manifests/{reference}",
        headers={"Accept": client.MANIFEST},
    )
    with urllib.request.urlopen(request) as response:
        data: dict[str, object] = json.loads(response.read())
        return data


def test_push_pull_repush_rollback_and_pull_by_digest(host: str, tmp_path: Path) -> None:
    reference = Reference.parse(f"oci://{host}/learnapp/config")
    first = oci.push(reference, make(1), "prod.json")
    assert first.tags[0] == "prod-1.2" and first.tags[1].startswith("prod-1.2-")
    pushed = manifest(host, "learnapp/config", "prod-1.2")
    assert pushed["artifactType"] == "application/vnd.amber.config.v1+json"
    assert pushed["annotations"] == {  # type: ignore[comparison-overlap]
        "dev.amber.content-hash": json.loads(make(1))["content_hash"],
        "dev.amber.environment": "prod",
        "dev.amber.schema-version": "1.2.0",
        "org.opencontainers.image.revision": "c0ffee",
        "org.opencontainers.image.title": "prod.json",
    }
    data, digest, _ = oci.fetch(Reference.parse(f"oci://{host}/learnapp/config:prod-1.2"))
    assert data == make(1) and digest == first.digest
    # the same content again: the same manifest, the same digest
    assert oci.push(reference, make(1), "prod.json").digest == first.digest
    second = oci.push(reference, make(2), "prod.json")
    assert oci.fetch(Reference.parse(f"oci://{host}/learnapp/config:prod-1.2"))[0] == make(2)
    # roll the moving tag back to the first artifact, then pull that by digest
    oci.retag(reference, "prod-1.2", first.tags[1])
    assert oci.fetch(Reference.parse(f"oci://{host}/learnapp/config:prod-1.2"))[0] == make(1)
    by_digest, _, _ = oci.fetch(Reference.parse(f"oci://{host}/learnapp/config@{second.digest}"))
    assert by_digest == make(2)
    assert sorted(oci.kept_tags(reference, "prod-1.2")) == sorted([first.tags[1], second.tags[1]])


def test_a_digest_that_does_not_match_is_refused(host: str) -> None:
    reference = Reference.parse(f"oci://{host}/learnapp/other")
    pushed = oci.push(reference, make(7, env="dev"), "dev.json")
    wrong = "sha256:" + "0" * 64
    with pytest.raises(client.RegistryError):
        oci.fetch(Reference.parse(f"oci://{host}/learnapp/other@{wrong}"))
    assert oci.fetch(Reference.parse(f"oci://{host}/learnapp/other@{pushed.digest}"))[0] == make(
        7, env="dev"
    )


def test_a_bad_artifact_is_never_pushed(host: str) -> None:
    reference = Reference.parse(f"oci://{host}/learnapp/bad")
    with pytest.raises(LoadError, match="refusing to publish"):
        oci.push(reference, make(1)[:-3], "prod.json")
    assert client.Registry(host).tags("learnapp/bad") == []


def test_cli_publish_pull_and_rollback(host: str, tmp_path: Path) -> None:
    repo = copy_reference(tmp_path / "repo")
    env = clean_env(AMBER_CACHE_DIR=str(tmp_path / "cache"))
    run_amber("build", "-q", cwd=repo, env=env, check=0)
    target = f"oci://{host}/learnapp/cli"
    out = run_amber("publish", "--to", target, cwd=repo, env=env, check=0).out
    assert out.count("pushed ") == 3 and "prod-1.2" in out
    pulled = run_amber(
        "pull", f"{target}:prod-1.2", "-o", "pulled/prod.json", cwd=repo, env=env, check=0
    )
    assert "pulled" in pulled.out
    assert (repo / "pulled/prod.json").read_bytes() == (repo / "dist/prod.json").read_bytes()
    cfg = amber.load(repo / "pulled/prod.json", expect="1.2", secrets="lazy")
    old_hash = cfg.content_hash
    prod = repo / "environments" / "prod.jsonnet"
    prod.write_text(prod.read_text().replace("batch_size: 500", "batch_size: 450"))
    run_amber("build", "-q", "prod", cwd=repo, env=env, check=0)
    run_amber("publish", "--to", target, "prod", cwd=repo, env=env, check=0)
    run_amber(
        "rollback",
        "--to",
        target,
        "prod",
        "--version",
        "1.2",
        "--to-hash",
        old_hash,
        cwd=repo,
        env=env,
        check=0,
    )
    run_amber("pull", f"{target}:prod-1.2", "-o", "pulled/prod.json", cwd=repo, env=env, check=0)
    assert amber.load(repo / "pulled/prod.json", secrets="lazy").content_hash == old_hash
    missing = run_amber("pull", f"{target}:nope-1.2", "-o", "x.json", cwd=repo, env=env, check=2)
    assert "does not exist" in missing.err and not (repo / "x.json").exists()


def test_cli_publishes_flag_files_beside_the_artifacts(host: str, tmp_path: Path) -> None:
    repo = copy_reference(tmp_path / "repo")
    (repo / "pyproject.toml").write_text(
        (repo / "pyproject.toml").read_text().replace('fractional = "v3"', 'fractional = "v2"')
    )
    env = clean_env(AMBER_CACHE_DIR=str(tmp_path / "cache"))
    run_amber("build", "-q", cwd=repo, env=env, check=0)
    target = f"oci://{host}/learnapp/flags"
    run_amber("publish", "--to", target, "prod", cwd=repo, env=env, check=0)
    out = run_amber(
        "publish", "--to", target, "prod", "--format", "flagd", cwd=repo, env=env, check=0
    ).out
    head = json.loads((repo / "dist" / "prod.json").read_bytes())
    kept = f"prod-1.2-{head['content_hash'][7:19]}-flagd"
    assert out.startswith(f"pushed flags of prod.json: prod-1.2-flagd, {kept} (sha256:")
    found = manifest(host, "learnapp/flags", "prod-1.2-flagd")
    assert found == manifest(host, "learnapp/flags", kept)
    assert found["artifactType"] == oci.FLAGD
    (layer,) = found["layers"]  # type: ignore[attr-defined]
    assert layer["annotations"]["org.opencontainers.image.title"] == "prod.flagd.json"
    with urllib.request.urlopen(
        f"http://{host}/v2/learnapp/flags/blobs/{layer['digest']}"
    ) as response:
        blob = response.read()
    exported = run_amber("export", "prod", "--format", "flagd", cwd=repo, env=env, check=0).out
    assert blob.decode() == exported
    # the artifact's own tag still names the artifact
    assert manifest(host, "learnapp/flags", "prod-1.2")["artifactType"] == oci.ARTIFACT


@pytest.mark.filterwarnings("ignore:'crypt' is deprecated:DeprecationWarning")
def test_registry_credentials_from_the_environment_and_docker_config(tmp_path: Path) -> None:
    import crypt  # Python 3.11: bcrypt hashes for the registry's htpasswd file

    if crypt.METHOD_BLOWFISH not in crypt.methods:
        pytest.skip("this libcrypt cannot make bcrypt hashes for an htpasswd file")
    htpasswd = tmp_path / "htpasswd"
    htpasswd.write_text(f"ci:{crypt.crypt('s3cret', crypt.mksalt(crypt.METHOD_BLOWFISH))}\n")
    with registry(tmp_path / "private", htpasswd) as private:
        reference = Reference.parse(f"oci://{private}/team/config")
        with pytest.MonkeyPatch.context() as patch:
            patch.delenv("AMBER_REGISTRY_USERNAME", raising=False)
            patch.setenv("DOCKER_CONFIG", str(tmp_path / "nowhere"))
            with pytest.raises(client.RegistryError, match="wants credentials"):
                oci.push(reference, make(1), "prod.json")
            patch.setenv("AMBER_REGISTRY_USERNAME", "ci")
            patch.setenv("AMBER_REGISTRY_PASSWORD", "s3cret")
            oci.push(reference, make(1), "prod.json")
            patch.delenv("AMBER_REGISTRY_USERNAME")
            docker = tmp_path / "docker"
            docker.mkdir()
            auth = base64.b64encode(b"ci:s3cret").decode()
            (docker / "config.json").write_text(json.dumps({"auths": {private: {"auth": auth}}}))
            patch.setenv("DOCKER_CONFIG", str(docker))
            assert oci.fetch(Reference.parse(f"oci://{private}/team/config:prod-1.2"))[0] == make(1)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("oci://127.0.0.1:5000/a/b:prod-1.2", ("127.0.0.1:5000", "a/b", "prod-1.2", None)),
        ("oci://registry.example.com/config", ("registry.example.com", "config", None, None)),
        ("oci://[::1]:5000/c@sha256:" + "a" * 64, ("[::1]:5000", "c", None, "sha256:" + "a" * 64)),
    ],
)
def test_references(text: str, parts: tuple[str, str, str | None, str | None]) -> None:
    reference = Reference.parse(text)
    assert (reference.host, reference.repository, reference.tag, reference.digest) == parts


def test_plain_http_only_on_loopback() -> None:
    assert client.Registry("127.0.0.1:5000").base == "http://127.0.0.1:5000"
    assert client.Registry("localhost:5000").base == "http://localhost:5000"
    assert client.Registry("[::1]:5000").base == "http://[::1]:5000"
    assert client.Registry("registry.example.com").base == "https://registry.example.com"
    assert client.Registry("10.0.0.5:5000", insecure=True).base == "http://10.0.0.5:5000"
    with pytest.raises(UsageError):
        Reference.parse("https://registry.example.com/config")
