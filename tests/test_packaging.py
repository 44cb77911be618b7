"""The base install is the runtime alone: an app that only loads artifacts pulls in mmh3, no more."""

from __future__ import annotations

import shutil
import subprocess
import venv
from pathlib import Path

import pytest

from tests.support.repo import ROOT, clean_env

GOLDEN = ROOT / "tests" / "golden" / "prod.json"
COMPILER_ONLY = {"gojsonnet", "rjsonnet", "jsonschema", "click", "pyyaml", "referencing"}


@pytest.fixture(scope="module")
def base_install(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("app-venv")
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    # From a copy of the sources: a build in the checkout leaves build/ behind, and a leftover
    # from another build there breaks the next one.
    source = tmp_path_factory.mktemp("source")
    for part in ("pyproject.toml", "README.md", "compiler"):
        copy = shutil.copytree if (ROOT / part).is_dir() else shutil.copy
        copy(ROOT / part, source / part)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(source)],
        check=True,
        capture_output=True,
        env=clean_env(),
    )
    return python


def test_the_base_install_has_no_compiler_dependencies(base_install: Path) -> None:
    listed = subprocess.run(
        [str(base_install), "-m", "pip", "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installed = {line.split("==")[0].lower() for line in listed.splitlines()}
    assert "amber-config" in installed and "mmh3" in installed
    assert installed & COMPILER_ONLY == set()


def test_an_app_loads_and_evaluates_with_the_base_install(base_install: Path) -> None:
    script = (
        "import amber\n"
        f"cfg = amber.load({str(GOLDEN)!r}, expect='1.2', secrets='lazy')\n"
        "print(cfg['interleaving']['max_session_size'], cfg.flag('ai_hints', {'app_version': '3.0.0'}, False))\n"
    )
    done = subprocess.run(
        [str(base_install), "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env=clean_env(),
    )
    assert done.stdout.split() == ["40", "True"]


def test_the_command_line_says_what_to_install(base_install: Path) -> None:
    amber = base_install.parent / "amber"
    done = subprocess.run([str(amber), "check"], capture_output=True, text=True, env=clean_env())
    assert done.returncode == 2
    assert "pip install 'amber-config[compiler]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_trust_without_the_verify_extra_names_the_extra(base_install: Path) -> None:
    """An app that asks for verification and cannot verify must not start unverified."""
    script = (
        "import amber\n"
        "try:\n"
        f"    amber.load({str(GOLDEN)!r}, secrets='lazy', trust='ci.pub')\n"
        "except amber.SignatureError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run(
        [str(base_install), "-c", script], capture_output=True, text=True, env=clean_env()
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "verifying signatures needs the cryptography package: pip install 'amber-config[verify]'"
    )
