"""Run go-jsonnet's own test programs through Amber's engine calls, for one engine, and print
how each ended against its golden file (a JSON object on stdout).

A separate process per engine: a program that kills the Go runtime must not take the test
runner with it.  Usage: python -m tests.support.jsonnet_programs go|rust
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

from amber import canonical
from amber.compiler.arguments import Arguments
from amber.compiler.jsonnet.engines import ENGINES
from amber.compiler.jsonnet.imports import Importer, Refused
from amber.compiler.settings import Settings

TESTDATA = Path(__file__).resolve().parents[1] / "data" / "go-jsonnet" / "testdata"
# What go-jsonnet's runner (main_test.go) gives the extvar_* programs.
EXT_VARS = {"stringVar": "2 + 2"}
EXT_CODE = {
    "codeVar": "3 + 3",
    "errorVar": "error 'xxx'",
    "staticErrorVar": ")",
    "UndeclaredX": "x",
    "selfRecursiveVar": '[42, std.extVar("selfRecursiveVar")[0] + 1]',
    "mutuallyRecursiveVar1": '[42, std.extVar("mutuallyRecursiveVar2")[0] + 1]',
    "mutuallyRecursiveVar2": '[42, std.extVar("mutuallyRecursiveVar1")[0] + 1]',
}


def same(a: Any, b: Any) -> bool:
    """JSON values equal as doubles are (go prints big integers exactly, others round)."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return bool(a == b or math.isclose(float(a), float(b), rel_tol=0, abs_tol=0))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(type(a) is type(b) and a == b)


def run(engine: str, name: str) -> tuple[str, str]:
    golden = TESTDATA / f"{name}.golden"
    if golden.is_dir() or name.endswith("_string_output"):
        return "not-applicable", "multi-file or string output: Amber writes one JSON value"
    try:
        want: Any = json.loads(golden.read_text())
        expects_error = False
    except ValueError:
        want, expects_error = None, True
    arguments = Arguments()
    if name.startswith("extvar_"):
        arguments = Arguments(ext_vars=dict(EXT_VARS), ext_code=dict(EXT_CODE))
    importer = Importer(Settings(root=TESTDATA, library=(), engine=engine))
    try:  # read as a build reads it: NaN and Infinity are no JSON
        output = ENGINES[engine](f"{name}.jsonnet", importer, arguments, 500)
        got = canonical.loads(output)
        canonical.dump_bytes(got)
    except (RuntimeError, Refused, ValueError, OSError) as exc:
        first = (str(exc).splitlines() or [""])[0][:160]
        return ("error-expected" if expects_error else "error-unexpected"), first
    if expects_error:
        return "value-where-error-expected", json.dumps(got)[:160]
    return ("match", "") if same(got, want) else ("differs", json.dumps(got)[:160])


def main() -> None:
    engine = sys.argv[1]
    names = sorted(p.stem for p in TESTDATA.glob("*.jsonnet"))
    print(json.dumps({name: run(engine, name) for name in names}, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
