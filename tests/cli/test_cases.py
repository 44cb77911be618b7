"""Case folders: a small config repo each, and the exact diagnostics `amber` must print.

`tests/cases/invalid/<name>/case.toml` says which repo to start from (`reference`: a copy of
the reference config; `empty`: nothing), files to `remove` from it, edits to make in its files
(`[[replace]]` with `file`, `old`, `new`), the arguments and the exit code.  The other files in
the folder are laid over it, except that `<file>.append` is added to the end of `<file>`: a case
holds only what it breaks.  `expected.txt` is the exact stderr.  Set AMBER_UPDATE_EXPECTED=1 to
rewrite the expected files after a deliberate change, then review the diff.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.repo import ROOT, amber, copy_reference

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CASES = sorted(p for p in (ROOT / "tests" / "cases" / "invalid").iterdir() if p.is_dir())
UPDATE = bool(os.environ.get("AMBER_UPDATE_EXPECTED"))
# Jsonnet engines word their own errors differently; everything Amber says is engine-free.
ENGINE_WORDED = ("jsonnet-",)


def materialize(case: Path, spec: dict[str, Any], target: Path) -> Path:
    if spec.get("base", "reference") == "reference":
        copy_reference(target)
    else:
        target.mkdir(parents=True)
    for rel in spec.get("remove", []):
        (target / rel).unlink()
    for edit in spec.get("replace", []):
        file = target / edit["file"]
        text = file.read_text()
        assert text.count(edit["old"]) == 1, f"{case.name}: the text to replace is not unique"
        file.write_text(text.replace(edit["old"], edit["new"]))
    for path in sorted(case.rglob("*")):
        rel = path.relative_to(case)
        if not path.is_file() or rel.as_posix() in ("case.toml", "expected.txt"):
            continue
        if rel.suffix == ".append":
            with open(target / rel.with_suffix(""), "a") as handle:
                handle.write(path.read_text())
            continue
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / rel)
    return target


def load(case: Path) -> dict[str, Any]:
    return tomllib.loads((case / "case.toml").read_text())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_diagnostics_are_exact(case: Path, tmp_path: Path) -> None:
    spec = load(case)
    work = materialize(case, spec, tmp_path / "repo")
    run = amber(*spec["args"], cwd=work)
    expected = case / "expected.txt"
    if UPDATE:
        expected.write_text(run.err)
    assert run.err == expected.read_text()
    assert run.code == spec["exit"]
    assert not (work / "dist").exists()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rust_engine_agrees(case: Path, tmp_path: Path) -> None:
    spec = load(case)
    work = materialize(case, spec, tmp_path / "repo")
    assert spec["args"][0] == "check"
    run = amber(*spec["args"], "--engine", "rust", cwd=work)
    expected = (case / "expected.txt").read_text()
    assert run.code == spec["exit"]
    if case.name.startswith(ENGINE_WORDED):
        # Same file and same kind of problem; the engine's own words may differ.
        assert [line.split(":")[0] for line in run.err.splitlines()] == [
            line.split(":")[0] for line in expected.splitlines()
        ]
    else:
        assert run.err == expected
