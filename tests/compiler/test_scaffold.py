"""`amber init` gives a repository that checks and builds as created."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.repo import ROOT, amber


def test_init_then_check_and_build(tmp_path: Path) -> None:
    repo = tmp_path / "new-config"
    run = amber("init", str(repo), cwd=tmp_path, check=0)
    assert "next: cd" in run.out
    for rel in (
        ".pre-commit-config.yaml",
        ".github/workflows/amber.yml",
        ".gitignore",
        "amber.toml",
        "config/schema/1.0.0.json",
        "config/rules.py",
        "environments/prod.jsonnet",
    ):
        assert (repo / rel).is_file(), rel
    amber("check", cwd=repo, check=0)
    amber("build", "-q", cwd=repo, check=0)
    prod = json.loads((repo / "dist" / "prod.json").read_bytes())
    assert prod["schema_version"] == "1.0.0" and prod["config"]["service"]["replicas"] == 6
    assert amber("migrations", cwd=repo, check=0).out.strip() == "no migrations in migrations/"
    flag = amber(
        "flags",
        "prod",
        "new_checkout",
        "--context",
        '{"targetingKey": "qa@example.com"}',
        cwd=repo,
        check=0,
    )
    assert flag.out.startswith("value: true")


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "amber.toml").write_text("# mine\n")
    run = amber("init", cwd=tmp_path, check=2)
    assert "would overwrite amber.toml" in run.err
    assert (tmp_path / "amber.toml").read_text() == "# mine\n"
    assert not (tmp_path / "environments").exists()


def test_the_scaffolded_ci_recipe_is_the_documented_one() -> None:
    scaffolded = ROOT / "compiler/amber/compiler/scaffold/template/_github/workflows/amber.yml"
    assert scaffolded.read_text() == (ROOT / "examples" / "ci" / "github-actions.yml").read_text()
