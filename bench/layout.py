"""`python -m bench.layout`: the rooms of `compiler/amber/`, the arrows between them, and the size
limits (no function over 60 lines, no module over 400, median function 8 lines or less).

Measured from the source, not timed: `tests/test_layout.py` asserts the same figures.
"""

from __future__ import annotations

import ast
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.timing import Table

PACKAGE = Path(__file__).resolve().parent.parent / "compiler" / "amber"
ROOMS = ("runtime", "flags", "compiler", "publish", "cli")
MAX_FUNCTION = 60
MAX_MODULE = 400
MAX_MEDIAN = 8
# Who may import whom: each room and the shared modules at the top of the package.
ALLOWED = {
    "shared": {"shared"},
    "flags": {"shared", "flags"},
    "runtime": {"shared", "flags", "runtime"},
    "compiler": {"shared", "flags", "runtime", "compiler"},
    "publish": {"shared", "runtime", "compiler", "publish"},
    "cli": {"shared", "flags", "runtime", "compiler", "publish", "cli"},
}
# The public faces at the top level that belong to a room: ``import amber`` is the runtime's
# API, the OpenFeature provider adapts it, ``python -m amber`` is the command line.
FACES = {
    "amber": "runtime",
    "amber.openfeature": "runtime",
    "amber.rules": "shared",
    "amber.__main__": "cli",
}


@dataclass
class Module:
    name: str
    path: Path
    lines: int
    imports: set[str] = field(default_factory=set)
    functions: list[tuple[str, int]] = field(default_factory=list)

    @property
    def room(self) -> str:
        parts = self.name.split(".")
        if len(parts) > 1 and parts[1] in ROOMS:
            return parts[1]
        return FACES.get(self.name, "shared")


def module_name(path: Path, package: Path = PACKAGE) -> str:
    rel = path.relative_to(package.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(tree: ast.AST, name: str, is_package: bool) -> set[str]:
    """Every ``amber`` module this module imports, at any depth (functions, TYPE_CHECKING)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("amber"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".") if is_package else name.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, *([base] if base else [])])
            if not base.startswith("amber"):
                continue
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def scan(package: Path = PACKAGE) -> dict[str, Module]:
    """Every module of the package (the scaffold's template is data, not Amber's code)."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        if "template" in path.relative_to(package).parts:
            continue
        text = path.read_text("utf-8")
        tree = ast.parse(text)
        name = module_name(path, package)
        module = Module(name, path, len(text.splitlines()))
        module.imports = _imports(tree, name, path.name == "__init__.py")
        module.functions = [
            (node.name, node.end_lineno - node.lineno + 1)
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno is not None
        ]
        modules[name] = module
    for module in modules.values():  # `from amber.x import y`: keep only real modules
        module.imports = {i for i in module.imports if i in modules}
    return modules


def wrong_arrows(modules: dict[str, Module]) -> list[str]:
    """Imports that point from a room to one it must not know."""
    found = []
    for module in modules.values():
        for target in sorted(module.imports):
            room = modules[target].room
            if room not in ALLOWED[module.room]:
                found.append(f"{module.name} ({module.room}) imports {target} ({room})")
    return found


def reachable(modules: dict[str, Module], start: str) -> set[str]:
    """Every amber module importing ``start`` loads, ``start`` included."""
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += modules[name].imports
            parent = name.rpartition(".")[0]  # importing a submodule runs its package
            if parent in modules:
                todo.append(parent)
    return seen


def oversized(modules: dict[str, Module]) -> list[str]:
    found = [
        f"{m.name}: {m.lines} lines (over {MAX_MODULE})"
        for m in modules.values()
        if m.lines > MAX_MODULE
    ]
    found += [
        f"{m.name}.{function}: {length} lines (over {MAX_FUNCTION})"
        for m in modules.values()
        for function, length in m.functions
        if length > MAX_FUNCTION
    ]
    return found


def median_function(modules: dict[str, Module]) -> float:
    return statistics.median(length for m in modules.values() for _, length in m.functions)


def tables(modules: dict[str, Module]) -> list[Table]:
    rooms = Table("Rooms", ["room", "modules", "lines", "longest module", "imports from"])
    for room in ("shared", *ROOMS):
        members = [m for m in modules.values() if m.room == room]
        longest = max(members, key=lambda m: m.lines)
        targets = {modules[i].room for m in members for i in m.imports} - {room}
        rooms.add(
            room,
            len(members),
            sum(m.lines for m in members),
            f"{longest.name} ({longest.lines})",
            ", ".join(sorted(targets)) or "-",
        )
    lengths = [length for m in modules.values() for _, length in m.functions]
    limits = Table("Limits", ["measure", "value", "limit"])
    limits.add("modules", len(modules), "")
    limits.add("longest module", max(m.lines for m in modules.values()), MAX_MODULE)
    limits.add("functions", len(lengths), "")
    limits.add("longest function", max(lengths), MAX_FUNCTION)
    limits.add("median function", median_function(modules), MAX_MEDIAN)
    limits.add("wrong arrows", len(wrong_arrows(modules)), 0)
    limits.notes += [f"over: {item}" for item in oversized(modules)]
    limits.notes += [f"arrow: {item}" for item in wrong_arrows(modules)]
    return [rooms, limits]


def main() -> None:
    modules = scan()
    for table in tables(modules):
        print(table.render())
    broken = oversized(modules) or wrong_arrows(modules) or median_function(modules) > MAX_MEDIAN
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
