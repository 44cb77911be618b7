"""The architecture as a test: the runtime stays small and the rooms import one way.

Structural, from the source (``bench/layout.py`` prints the same figures): fast, and it fails
the moment a runtime module imports the compiler, whatever the import is hidden in.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench import layout

MODULES = layout.scan()
# What `import amber` and `amber.load` may use beyond the standard library.
RUNTIME_THIRD_PARTY = {"mmh3"}
# Only where an app asks for it: verifying signatures (trust=), the `verify` extra.
ON_REQUEST = {"amber.runtime.signatures": {"cryptography"}}


def test_the_runtime_and_flags_import_nothing_from_the_compiler_publish_or_cli() -> None:
    for start in ("amber", "amber.runtime.load", "amber.runtime.watch", "amber.flags"):
        loaded = layout.reachable(MODULES, start)
        rooms = {MODULES[name].room for name in loaded}
        assert rooms <= {"shared", "runtime", "flags"}, (start, sorted(loaded))


def test_the_runtime_uses_the_standard_library_and_mmh3_only() -> None:
    import ast

    loaded = layout.reachable(MODULES, "amber") | layout.reachable(MODULES, "amber.flags")
    outside = set()
    for name in loaded:
        for node in ast.walk(ast.parse(MODULES[name].path.read_text())):
            if isinstance(node, ast.Import):
                tops = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level:
                tops = {(node.module or "").split(".")[0]}
            else:
                continue
            allowed = ON_REQUEST.get(name, set())
            outside |= {
                t
                for t in tops
                if t not in sys.stdlib_module_names and t != "amber" and t not in allowed
            }
    assert outside <= RUNTIME_THIRD_PARTY


def test_every_import_points_the_way_the_architecture_allows() -> None:
    assert layout.wrong_arrows(MODULES) == []


def test_the_boundary_check_sees_an_import_hidden_in_a_function(tmp_path: Path) -> None:
    """The check itself can fail: a runtime module that imports the compiler lazily."""
    package = tmp_path / "amber"
    (package / "runtime").mkdir(parents=True)
    (package / "compiler").mkdir()
    for init in ("__init__.py", "runtime/__init__.py", "compiler/__init__.py"):
        (package / init).write_text("")
    (package / "compiler" / "build.py").write_text("")
    (package / "runtime" / "load.py").write_text(
        "def load():\n    from amber.compiler import build\n    return build\n"
    )
    modules = layout.scan(package)
    assert layout.wrong_arrows(modules) == [
        "amber.runtime.load (runtime) imports amber.compiler (compiler)",
        "amber.runtime.load (runtime) imports amber.compiler.build (compiler)",
    ]


def test_no_module_over_400_lines_and_no_function_over_60() -> None:
    assert layout.oversized(MODULES) == []


def test_the_median_function_is_short() -> None:
    assert layout.median_function(MODULES) <= layout.MAX_MEDIAN
