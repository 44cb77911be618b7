"""Jsonnet a team already has: a monorepo's vendor tree outside the config folder, Tanka's
layout, environments that are functions, ext code, importbin, natives, jsonnet-bundler locks."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.support.repo import amber

SCHEMA = json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"})
LOCK = {
    "version": 1,
    "dependencies": [
        {
            "source": {
                "git": {"remote": "https://github.com/grafana/grafonnet.git", "subdir": "gen"}
            },
            "version": "1c56af39815c4903e47c27194444456f005f65df",
            "sum": "xyz",
        }
    ],
    "legacyImports": False,
}


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def artifact(path: Path) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(path.read_bytes())
    return loaded


def monorepo(tmp_path: Path, depth: int = 3) -> Path:
    """vendor/ at the top of a Git work tree, the config two folders down."""
    top = tmp_path / "mono"
    chain = {
        f"vendor/lib/level{n}/v.libsonnet": f"(import '../level{n + 1}/v.libsonnet') + {{ l{n}: {n} }}"
        for n in range(depth)
    }
    chain[f"vendor/lib/level{depth}/v.libsonnet"] = "{ bottom: true }"
    write(
        top,
        {
            **chain,
            "jsonnetfile.lock.json": json.dumps(LOCK),
            "deploy/config/amber.toml": 'library = ["config", "../../vendor"]\n',
            "deploy/config/config/schema/1.0.0.json": SCHEMA,
            "deploy/config/environments/prod.jsonnet": "(import 'lib/level0/v.libsonnet') + { env: std.extVar('env') }",
        },
    )
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    return top


def test_a_vendor_tree_outside_the_config_folder_builds_from_the_top_and_from_the_config(
    tmp_path: Path,
) -> None:
    top = monorepo(tmp_path, depth=12)  # a deep vendor tree, each level importing the next
    config = top / "deploy" / "config"
    amber("--repo", "deploy/config", "build", "-q", cwd=top, check=0)
    from_top = (config / "dist" / "prod.json").read_bytes()
    amber("build", "-q", "--no-cache", cwd=config, check=0)
    assert (config / "dist" / "prod.json").read_bytes() == from_top
    built = artifact(config / "dist" / "prod.json")
    assert built["config"] == {"env": "prod", "bottom": True, **{f"l{n}": n for n in range(12)}}
    provenance = built["provenance"]
    assert isinstance(provenance, dict)
    assert "../../vendor/lib/level11/v.libsonnet" in provenance["inputs"]
    assert provenance["dependencies"] == [
        {
            "source": "https://github.com/grafana/grafonnet.git/gen",
            "version": LOCK["dependencies"][0]["version"],
        }  # type: ignore[index]
    ]


def test_a_symlink_to_a_declared_library_is_followed(tmp_path: Path) -> None:
    top = monorepo(tmp_path)
    config = top / "deploy" / "config"
    (config / "amber.toml").write_text('library = ["config", "../../vendor"]\n')
    os.symlink("../../../vendor/lib", config / "config" / "lib")
    (config / "environments" / "prod.jsonnet").write_text("import 'lib/level2/v.libsonnet'")
    amber("build", "-q", cwd=config, check=0)
    inputs = artifact(config / "dist" / "prod.json")["provenance"]["inputs"]  # type: ignore[index]
    assert "config/lib/level2/v.libsonnet" in inputs  # read through the link


def test_a_library_outside_the_work_tree_is_refused(tmp_path: Path) -> None:
    top = monorepo(tmp_path)
    config = top / "deploy" / "config"
    (config / "amber.toml").write_text('library = ["config", "../../../elsewhere"]\n')
    done = amber("check", cwd=config, check=2)
    assert "library directory ../../../elsewhere is outside the Git work tree" in done.err


def test_a_changed_lock_file_rebuilds(tmp_path: Path) -> None:
    top = monorepo(tmp_path)
    config = top / "deploy" / "config"
    amber("build", "-q", cwd=config, check=0)
    lock = dict(LOCK, dependencies=[dict(LOCK["dependencies"][0], version="2" * 40)])  # type: ignore[index]
    (top / "jsonnetfile.lock.json").write_text(json.dumps(lock))
    done = amber("build", "--format", "json", cwd=config, check=0)
    assert json.loads(done.out)["environments"][0]["cached"] is False
    provenance = artifact(config / "dist" / "prod.json")["provenance"]
    assert provenance["dependencies"][0]["version"] == "2" * 40  # type: ignore[index]


def test_tankas_layout(tmp_path: Path) -> None:
    repo = write(
        tmp_path / "tk",
        {
            "config/schema/1.0.0.json": SCHEMA,
            "environments/prod/main.jsonnet": "{ name: std.extVar('env'), size: (import 'size.libsonnet') }",
            "environments/prod/size.libsonnet": "3",
            "environments/prod/spec.json": '{"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment"}',
            "environments/dev.jsonnet": "{ name: 'dev', size: 1 }",
        },
    )
    amber("build", "-q", cwd=repo, check=0)
    assert artifact(repo / "dist" / "prod.json")["config"] == {"name": "prod", "size": 3}
    (repo / "environments" / "dev").mkdir()
    (repo / "environments" / "dev" / "main.jsonnet").write_text("{}")
    done = amber("check", cwd=repo, check=2)
    assert "two entry files for environment dev" in done.err


FUNCTION = "function(region, replicas=1, limits=std.extVar('limits')) { region: region, replicas: replicas, rps: limits.rps }"


def test_environments_that_are_functions(tmp_path: Path) -> None:
    repo = write(
        tmp_path / "fn",
        {
            "config/schema/1.0.0.json": SCHEMA,
            "environments/prod.jsonnet": FUNCTION,
            "environments/dev.jsonnet": FUNCTION,
            "amber.toml": (
                'tla_vars = { region = "eu" }\n'
                'ext_code = { limits = "{ rps: 100 }" }\n'
                '[env.prod.tla_code]\nreplicas = "2 + 1"\n'
            ),
        },
    )
    amber("build", "-q", cwd=repo, check=0)
    assert artifact(repo / "dist" / "prod.json")["config"] == {
        "region": "eu",
        "replicas": 3,
        "rps": 100,
    }
    assert artifact(repo / "dist" / "dev.json")["config"] == {
        "region": "eu",
        "replicas": 1,
        "rps": 100,
    }
    assert artifact(repo / "dist" / "prod.json")["provenance"]["arguments"] == {  # type: ignore[index]
        "ext_code": {"limits": "{ rps: 100 }"},
        "tla_code": {"replicas": "2 + 1"},
        "tla_vars": {"region": "eu"},
    }
    shown = amber(
        "show", "prod", "--tla-str", "region=us", "--tla-code", "replicas=7", cwd=repo, check=0
    )
    assert json.loads(shown.out) == {"region": "us", "replicas": 7, "rps": 100}  # typed wins
    again = amber("build", "--format", "json", "--tla-str", "region=ap", cwd=repo, check=0)
    assert [e["cached"] for e in json.loads(again.out)["environments"]] == [False, False]


def test_a_missing_top_level_argument_is_an_error_of_that_environment(tmp_path: Path) -> None:
    repo = write(
        tmp_path / "fn",
        {"config/schema/1.0.0.json": SCHEMA, "environments/prod.jsonnet": FUNCTION},
    )
    done = amber("check", cwd=repo, check=1)
    assert done.err.startswith("environments/prod.jsonnet")
    assert "region" in done.err and "[jsonnet]" in done.err


@pytest.mark.parametrize("engine", ["go", "rust"])
def test_importbin_gives_bytes(tmp_path: Path, engine: str) -> None:
    repo = write(
        tmp_path / "bin",
        {
            "config/schema/1.0.0.json": SCHEMA,
            "config/logo.bin": b"\xff\x00\xfe",
            "environments/prod.jsonnet": "{ bytes: importbin 'logo.bin' }",
            "environments/dev.jsonnet": "{ text: importstr 'logo.bin' }",
            "amber.toml": f'engine = "{engine}"\n',
        },
    )
    done = amber("build", cwd=repo, check=1)
    if engine == "go":
        assert artifact(repo / "dist" / "prod.json")["config"] == {"bytes": [255, 0, 254]}
    else:
        assert "importbin of logo.bin, which is not text, needs the go engine" in done.err
    assert "config/logo.bin: error: dev: file is not UTF-8 text" in done.err  # importstr


def test_parse_yaml_and_json_natives(tmp_path: Path) -> None:
    program = (
        "{ yaml: std.native('parseYaml')('a: 1\\nwhen: 2024-01-02\\n---\\nb: [x, y]'),"
        "  json: std.native('parseJson')('{\"n\": [1, 2]}') }"
    )
    repo = write(
        tmp_path / "nat",
        {"config/schema/1.0.0.json": SCHEMA, "environments/prod.jsonnet": program},
    )
    amber("build", "-q", cwd=repo, check=0)
    assert artifact(repo / "dist" / "prod.json")["config"] == {
        "yaml": [{"a": 1, "when": "2024-01-02"}, {"b": ["x", "y"]}],
        "json": {"n": [1, 2]},
    }
