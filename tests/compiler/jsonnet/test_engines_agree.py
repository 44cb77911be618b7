"""go-jsonnet's own test programs, 687 of them with their golden outcomes, through Amber's calls
of each engine: go-jsonnet gives every golden but for the differences listed with their
reasons, and the rust engine's differences are exactly the ones documented (README, "Bring
your Jsonnet")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.repo import ROOT, amber, clean_env

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DATA = ROOT / "tests" / "data" / "go-jsonnet"
DIFFERENCES = tomllib.loads((DATA / "differences.toml").read_text())
AS_GOLDEN = ("match", "error-expected", "not-applicable")


def outcomes(engine: str) -> dict[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.jsonnet_programs", engine],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=clean_env(RUST_BACKTRACE="0"),
        timeout=600,
        check=True,
    )
    found: dict[str, list[str]] = json.loads(done.stdout)
    return found


@pytest.mark.parametrize("engine", ["go", "rust"])
def test_every_program_gives_its_golden_outcome_but_the_documented_ones(engine: str) -> None:
    found = outcomes(engine)
    assert len(found) == 687
    differing = {name: outcome for name, (outcome, _) in found.items() if outcome not in AS_GOLDEN}
    documented = {name: entry["outcome"] for name, entry in DIFFERENCES[engine].items()}
    assert differing == documented


def test_a_rust_panic_fails_its_environment_only(repo: Path) -> None:
    """rjsonnet panics on some programs (std.sort of mixed types): that environment fails with
    the panic's message, the others are built, and no Rust backtrace reaches the terminal."""
    program = (DATA / "testdata" / "std.sort4.jsonnet").read_text()
    (repo / "environments" / "staging.jsonnet").write_text(f"{{ x: {program} }}\n")
    for name in ("a", "b", "c"):  # enough environments for a parallel build
        (repo / "environments" / f"{name}.jsonnet").write_text(
            (repo / "environments" / "dev.jsonnet").read_text()
        )
    done = amber("build", "--engine", "rust", "-j", "2", cwd=repo, check=1)
    errors = [line for line in done.err.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith("environments/staging.jsonnet")
    assert "the rust engine panicked" in errors[0]
    assert "backtrace" not in done.err and "rust_begin_unwind" not in done.err
    built = sorted(p.stem for p in (repo / "dist").glob("*.json"))
    assert built == ["a", "b", "c", "dev", "prod"]
