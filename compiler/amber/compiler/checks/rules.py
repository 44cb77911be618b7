"""Loading and running the cross-field rules of a repository's rules file.

How a rule is written is in ``amber.rules``, the module a rules file imports.  The rules file
may import Python modules that sit beside it, at its top: the files of the modules it imports
are inputs of every build, so a changed helper rebuilds what the cache holds.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from amber.canonical import sha256_tag
from amber.errors import ConfigError, Diagnostic
from amber.rules import Rule
from amber.versions import Version, matches


def digest(path: Path) -> str | None:
    """The rules file's sha256 (the helpers it imports are recorded as inputs; see `load`)."""
    if not path.is_file():
        return None
    return sha256_tag(path.read_bytes())


def load(path: Path, rel: str, helpers: list[Path] | None = None) -> list[Rule]:
    """The rules defined in a rules file, in the order they are written.

    The files of the modules it imported from beside it are added to ``helpers``: they are
    inputs of every build, like the Jsonnet files evaluation reads.
    """
    if not path.is_file():
        return []
    module_name = f"_amber_rules_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ConfigError([Diagnostic("cannot load rules file", file=rel, code="rules")])
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    directory = str(path.parent.resolve())
    before = set(sys.modules)
    sys.path.insert(0, directory)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        problem = Diagnostic(
            f"syntax error: {exc.msg}", file=rel, line=exc.lineno, col=exc.offset, code="rules"
        )
        raise ConfigError([problem]) from None
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - user code raises anything, sys.exit too
        raise ConfigError([_crash(exc, path, rel, "loading the rules file")]) from None
    finally:
        sys.modules.pop(module_name, None)
        sys.path.remove(directory)
        imported = _forget_helpers(before, directory)
        if helpers is not None:
            helpers += imported
    found: list[Rule] = []
    for value in vars(module).values():
        marked = getattr(value, "__amber_rule__", None)
        if isinstance(marked, Rule):
            code = getattr(value, "__code__", None)
            line = code.co_firstlineno if code is not None else 0
            found.append(_with_location(marked, rel, line))
    for item in found:
        try:
            matches((0, 0, 0), item.versions)
        except ValueError as exc:
            problem = Diagnostic(f"rule {item.name}: {exc}", file=rel, line=item.line, code="rules")
            raise ConfigError([problem]) from None
    return found


def _forget_helpers(before: set[str], directory: str) -> list[Path]:
    """Drop helper modules from ``sys.modules``: the next load (another repository, or this one
    after an edit) must import its own, not find these by name.  Their files, sorted."""
    files = []
    for name in set(sys.modules) - before:
        file = getattr(sys.modules[name], "__file__", None)
        if isinstance(file, str) and Path(file).resolve().is_relative_to(directory):
            del sys.modules[name]
            files.append(Path(file).resolve())
    return sorted(files)


def _with_location(item: Rule, rel: str, line: int) -> Rule:
    return replace(item, file=rel, line=line)


def _crash(exc: BaseException, path: Path, rel: str, doing: str) -> Diagnostic:
    """Where in the user's file an exception came from, as a diagnostic."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename) == path:
            line = frame.lineno
    message = f"{doing} raised {type(exc).__name__}: {exc}"
    if isinstance(exc, ModuleNotFoundError) and doing.startswith("rule "):
        message += " (import helpers at the top of the rules file)"
    return Diagnostic(message, file=rel, line=line, code="rules")


@dataclass(frozen=True)
class Failure:
    rule: Rule
    message: str
    crashed: Diagnostic | None = None


def failures(
    rules: list[Rule], config: dict[str, Any], env: str, version: Version, rules_path: Path
) -> list[Failure]:
    """Every rule that applies and does not hold, in the order the rules are written."""
    failures: list[Failure] = []
    for item in rules:
        if not item.applies(env, version):
            continue
        try:
            result = item.function(config)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - user code raises anything, sys.exit too
            crash = _crash(exc, rules_path, item.file, f"rule {item.name}")
            failures.append(Failure(item, crash.message, crashed=crash))
            continue
        if result is True:
            continue
        if result is False:
            failures.append(Failure(item, item.message))
        elif isinstance(result, str):
            failures.append(Failure(item, result))
        else:
            message = (
                f"rule {item.name} returned {result!r}; a rule returns True, False or a message"
            )
            crash = Diagnostic(message, file=item.file, line=item.line, env=env, code="rules")
            failures.append(Failure(item, message, crashed=crash))
    return failures
