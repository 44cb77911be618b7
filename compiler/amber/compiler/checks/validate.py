"""Check a compiled config: its version's JSON Schema, secrets, and cross-field rules.

Every problem is reported, not just the first, each with the environment, the JSON path and
the line that most likely sets it.
"""

from __future__ import annotations

import json
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


def secret_problems(
    config: dict[str, Any], allow: Iterable[str] = ()
) -> tuple[list[Problem], list[str]]:
    """Credentials and malformed secret references, and the credentials found (to cut)."""
    findings = list(credentials.scan(config, allow))
    return [Problem(f.path, f.message, f.code) for f in findings], [
        f.secret for f in findings if f.secret
    ]


def redact(problems: list[Problem], secrets: list[str], allow: Iterable[str] = ()) -> list[Problem]:
    """The problems with every credential cut out of their messages: those the scanner found
    in the config (raw, or escaped as JSON or Python quote them) and any other the detector
    finds in the message itself.

    A schema error quotes the value it rejects, an engine error the expression that failed;
    for a live key that would put the key in the CI log the scanner is there to keep it out of.
    """
    forms = sorted(
        {form for secret in secrets for form in _quoted_forms(secret)}, key=len, reverse=True
    )
    redacted = []
    for problem in problems:
        message = problem.message
        for form in forms:
            message = message.replace(form, credentials.cut(form))
        redacted.append(replace(problem, message=credentials.redact(message, allow)))
    return redacted


def _quoted_forms(secret: str) -> set[str]:
    return {secret, json.dumps(secret)[1:-1], repr(secret)[1:-1]} - {""}


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
