"""Check a compiled config: its version's JSON Schema, secrets, and cross-field rules.

Every problem is reported, not just the first, each with the environment, the JSON path and
the line that most likely sets it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from amber.compiler.checks import credentials, flag_definitions, locate, rules, schemas
from amber.errors import ConfigError, Diagnostic, Severity
from amber.jsonpath import Segment, format_path, parse_path
from amber.rules import Rule


@dataclass(frozen=True)
class Problem:
    """A problem at a JSON path, before it is placed in a file."""

    path: tuple[Segment, ...]
    message: str
    code: str
    severity: Severity = "error"
    # Set when the problem is in a file of its own (a rule that crashed), not in the config.
    diagnostic: Diagnostic | None = None
    # Where to look for the source line when it is not `path` (a missing field: its parent).
    anchor: tuple[Segment, ...] | None = None


def _schema_problem(error: Any) -> Problem:
    path = tuple(error.absolute_path)
    validator = error.validator
    message = error.message
    anchor = None
    if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
        return Problem(
            (*path, error.instance), f"key not allowed: {message}", "schema:propertyNames"
        )
    if validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extras = sorted(k for k in error.instance if k not in allowed)
        if len(extras) == 1:
            path = (*path, extras[0])
            known = ", ".join(sorted(allowed)) or "none"
            message = f"unknown field {extras[0]!r} (allowed: {known})"
    elif validator == "required":
        missing = error.message.split("'")[1] if error.message.count("'") >= 2 else ""
        if missing:
            anchor = path
            path = (*path, missing)
            message = "required field is missing"
    return Problem(path, message, f"schema:{validator}", anchor=anchor)


def schema_problems(config: dict[str, Any], schema: schemas.Schema) -> list[Problem]:
    from referencing.exceptions import Unresolvable

    try:
        found = [_schema_problem(e) for e in schemas.validator(schema).iter_errors(config)]
    except Unresolvable as exc:  # under a nested $id, which the load-time check leaves alone
        problem = Diagnostic(f"$ref cannot be resolved: {exc}", file=schema.file, code="schema")
        raise ConfigError([problem]) from None
    return sorted(found, key=lambda p: (format_path(p.path), p.code, p.message))


# The reserved key's shape, for repositories whose schema leaves `flags` unconstrained.
_FLAGS_SHAPE = {"properties": {"flags": {"$ref": "urn:amber:flags"}}}


def flag_problems(config: dict[str, Any], reported: Iterable[Problem] = ()) -> list[Problem]:
    """Checks of the reserved ``flags`` key, whatever the repository's schema says of it.

    The shape is checked with Amber's flags schema unless the repository's own schema has
    already reported problems under ``flags`` (they would be said twice).
    """
    if "flags" not in config:
        return []
    if not isinstance(config["flags"], dict):
        return [
            Problem(("flags",), "flags must be an object: flag key -> flagd definition", "flags")
        ]
    problems = []
    if not any(p.path[:1] == ("flags",) for p in reported):
        shape = schemas.document_validator(_FLAGS_SHAPE).iter_errors(config)
        problems = sorted(
            (_schema_problem(e) for e in shape),
            key=lambda p: (format_path(p.path), p.code, p.message),
        )
    found = flag_definitions.check(config["flags"])
    return problems + [Problem(f.path, f.message, f.code, severity=f.severity) for f in found]


def secret_problems(config: dict[str, Any]) -> list[Problem]:
    return [Problem(f.path, f.message, f.code) for f in credentials.scan(config)]


def redact(problems: list[Problem], config: dict[str, Any]) -> list[Problem]:
    """The problems with every credential the scanner found cut out of their messages.

    A schema error quotes the value it rejects; for a live key that would put the key in
    the CI log the scanner is there to keep it out of.
    """
    found = []
    for problem in problems:
        if problem.code == "security:credential":
            value: Any = config
            for segment in problem.path:
                value = value[segment]
            if isinstance(value, str):
                found.append(value)
    if not found:
        return problems
    redacted = []
    for problem in problems:
        message = problem.message
        for secret in found:
            message = message.replace(secret, credentials.cut(secret))
        redacted.append(replace(problem, message=message))
    return redacted


def rule_problems(
    found: list[Rule],
    config: dict[str, Any],
    env: str,
    schema: schemas.Schema,
    rules_path: Path,
) -> list[Problem]:
    problems = []
    for failure in rules.failures(found, config, env, schema.version, rules_path):
        try:
            path = tuple(parse_path(failure.rule.path))
        except ValueError:
            path = ()
        problems.append(
            Problem(
                path,
                failure.message,
                failure.rule.name,
                severity=failure.rule.severity if failure.crashed is None else "error",
                diagnostic=failure.crashed,
            )
        )
    return problems


def place(
    problems: Iterable[Problem], env: str, entry: str, files: list[str], root: Path
) -> list[Diagnostic]:
    """Diagnostics for problems, each at the line most likely to set its path."""
    placed: list[Diagnostic] = []
    for problem in problems:
        if problem.diagnostic is not None:
            d = problem.diagnostic
            placed.append(
                Diagnostic(
                    d.message,
                    file=d.file,
                    line=d.line,
                    col=d.col,
                    env=env,
                    path=format_path(problem.path),
                    code=problem.code,
                )
            )
            continue
        anchor = problem.path if problem.anchor is None else problem.anchor
        where = locate.find(root, files, list(anchor))
        file, line = where if where else (entry, None)
        placed.append(
            Diagnostic(
                problem.message,
                file=file,
                line=line,
                severity=problem.severity,
                env=env,
                path=format_path(problem.path),
                code=problem.code,
            )
        )
    return placed
