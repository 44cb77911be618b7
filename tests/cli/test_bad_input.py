"""Bad input that used to reach "internal error": each gets one line naming what is wrong."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.support.repo import amber


@pytest.mark.parametrize(
    "args",
    [
        ("publish", "--to", "oci://[::1/r"),
        ("pull", "oci://[::1/r:prod-1.2", "-o", "x.json"),
        ("rollback", "--to", "oci://host:99999/r", "prod", "--version", "1.2", "--to-hash", "ab"),
    ],
)
def test_a_malformed_registry_address(repo: Path, args: tuple[str, ...]) -> None:
    (repo / "dist").mkdir()
    done = amber(*args, cwd=repo, check=2)
    assert done.err.count("\n") == 1 and "is not oci://HOST[:PORT]/REPOSITORY" in done.err


@pytest.mark.parametrize("engine", ["go", "rust"])
@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("check", "dev"), 1),
        (("build", "dev"), 1),
        (("show", "dev"), 1),
        (("diff", "dev", "prod"), 2),
    ],
)
def test_a_nul_byte_in_an_environment(
    repo: Path, engine: str, args: tuple[str, ...], code: int
) -> None:
    (repo / "environments" / "dev.jsonnet").write_bytes(b"{a: 1}\n  {\x00\n")
    (repo / "amber.toml").write_text(f'engine = "{engine}"\n')
    done = amber(*args, cwd=repo, check=code)
    assert done.err.startswith("environments/dev.jsonnet:2:")
    assert "internal error" not in done.err


def test_settings_that_are_not_utf8(repo: Path) -> None:
    (repo / "amber.toml").write_bytes(b'engine = "go"\n# caf\xe9\n')
    done = amber("check", cwd=repo, check=2)
    assert done.err == "amber.toml: error: not UTF-8 text: invalid continuation byte at byte 19\n"


@pytest.mark.parametrize("target", ["/etc/hostname", "../../../outside"])
def test_diff_against_a_revision_with_a_link_out_of_the_repository(repo: Path, target: str) -> None:
    git = ["git", "-c", "user.email=a@b", "-c", "user.name=n"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    os.symlink(target, repo / "config" / "link.txt")
    subprocess.run([*git, "-C", str(repo), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-qm", "x"], check=True)
    done = amber("diff", "prod@HEAD", "prod", cwd=repo, check=2)
    assert done.err.startswith("config/link.txt: error: cannot check out HEAD: config/link.txt")
    assert done.err.count("\n") == 1
