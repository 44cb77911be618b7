"""Writing cross-field rules: plain Python functions in the repo's rules file (``config/rules.py``).

What JSON Schema cannot say (sums, orderings, membership in another field, rules for some
environments only) is a function of the compiled config::

    from amber.rules import rule

    @rule("interleaving.min_session_size", versions=">=1.0")
    def min_not_above_max(config):
        "min_session_size must not exceed max_session_size"
        section = config["interleaving"]
        return section["min_session_size"] <= section["max_session_size"]

A rule returns ``True`` when the config is fine, ``False`` to report its message (the
docstring, or ``message=``), or a string to report that string.  ``versions`` ties a rule to
the schema versions it belongs to, so rules travel with the schema they were written for.

The rules file may import Python modules that sit beside it (``from helpers import ...``, as a
script imports from its own directory), at its top: the files of the modules it imports are
inputs of every build, so a changed helper rebuilds what the cache holds.

This module is what a rules file imports; ``amber.compiler.checks.rules`` loads and runs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from amber.errors import Severity
from amber.versions import Version, matches

RuleFunction = Callable[[dict[str, Any]], "bool | str"]
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Rule:
    name: str
    path: str
    message: str
    severity: Severity
    environments: tuple[str, ...] | None
    versions: str
    function: RuleFunction
    file: str = ""
    line: int = 0

    def applies(self, env: str, version: Version) -> bool:
        if self.environments is not None and env not in self.environments:
            return False
        return matches(version, self.versions)


def rule(
    path: str,
    message: str | None = None,
    *,
    severity: Severity = "error",
    environments: list[str] | tuple[str, ...] | None = None,
    versions: str = "",
) -> Callable[[F], F]:
    """Mark a function as a rule about the value at ``path`` (a dotted JSON path)."""
    if severity not in ("error", "warning"):
        raise ValueError(f"severity must be 'error' or 'warning', not {severity!r}")
    if not isinstance(path, str):
        raise TypeError(f"the path must be a string like 'a.b[0]', not {path!r}")
    if not isinstance(versions, str):
        raise TypeError(f"versions must be a string like '>=1.1, <2', not {versions!r}")
    if environments is not None and (
        isinstance(environments, str)
        or not isinstance(environments, (list, tuple))
        or not all(isinstance(e, str) for e in environments)
    ):
        raise TypeError(f"environments must be a list of names, not {environments!r}")

    def mark(function: F) -> F:
        text = message or (function.__doc__ or "").strip() or f"rule {function.__name__} failed"
        function.__amber_rule__ = Rule(  # type: ignore[attr-defined]
            name=function.__name__,
            path=path,
            message=text,
            severity=severity,
            environments=tuple(environments) if environments is not None else None,
            versions=versions,
            function=function,
        )
        return function

    return mark
