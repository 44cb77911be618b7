"""What commands print: diagnostics on stderr, or one JSON report on stdout (``--format json``).

Defined once for every command: the ``--format`` option, the way diagnostics are printed, the
report of a build or check, and ``Exit``, which a command raises to leave with a code after its
output is done.  Everything printed goes through ``say`` (or ``warn``), which cuts out every
credential the scanner's detector finds, so none reaches a terminal or a CI log, whatever
printed it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from amber.compiler.build.compiled import Result
from amber.compiler.build.pool import Progress
from amber.compiler.checks.credentials import redact
from amber.compiler.settings import Settings
from amber.errors import Diagnostic

F = TypeVar("F", bound=Callable[..., Any])


class Exit(Exception):
    """Leave with an exit code after output is done."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def format_option(
    *choices: str, default: str = "text", help: str | None = None
) -> Callable[[F], F]:
    """``--format`` with the given choices; ``json`` prints a report on stdout."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help=help,
    )


FORMAT = format_option(
    "text",
    "json",
    help="json: a machine-readable report on stdout instead of diagnostics on stderr.",
)


# Values the repository's settings say are not credentials (allow_credentials); set when a
# command reads the settings.
_allowed: frozenset[str] = frozenset()


def allow(fingerprints: tuple[str, ...]) -> None:
    global _allowed
    _allowed = frozenset(fingerprints)


def say(text: str, *, nl: bool = True) -> None:
    """A line (or lines) on stdout, credentials cut."""
    click.echo(redact(text, _allowed), nl=nl)


def warn(text: str, *, nl: bool = True) -> None:
    """A line (or lines) on stderr, credentials cut."""
    click.echo(redact(text, _allowed), err=True, nl=nl)


def emit(diagnostics: list[Diagnostic]) -> None:
    """Diagnostics on stderr, one line each."""
    for diagnostic in diagnostics:
        warn(diagnostic.render())


def report(payload: dict[str, Any]) -> None:
    """A JSON report on stdout."""
    say(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False))


def failure_report(diagnostics: list[Diagnostic]) -> None:
    """The JSON report of a command that failed before it had anything else to report."""
    report({"ok": False, "diagnostics": [d.to_json() for d in diagnostics]})


def _results_report(results: list[Result], out: Path | None) -> dict[str, Any]:
    environments = [
        {
            "environment": result.env,
            "ok": result.ok,
            "cached": result.cached,
            "artifacts": _artifacts(result, out),
        }
        for result in results
    ]
    return {
        "ok": all(r.ok for r in results),
        "environments": environments,
        "diagnostics": [d.to_json() for r in results for d in r.diagnostics],
    }


def _artifacts(result: Result, out: Path | None) -> list[dict[str, Any]]:
    heads = {name: json.loads(data) for name, data in result.outputs.items()}
    return [
        {
            "path": str(out / name) if out is not None else None,
            "content_hash": head["content_hash"],
            "schema_version": head["schema_version"],
        }
        for name, head in heads.items()
    ]


def finish(
    results: list[Result],
    out: Path | None,
    output_format: str,
    quiet: bool,
    settings: Settings,
    verb: str,
    repository: list[Diagnostic] | None = None,
) -> None:
    """Report a build or a check; exit 1 if anything failed."""
    repository = repository or []
    if output_format == "json":
        payload = _results_report(results, out)
        payload["diagnostics"] = [d.to_json() for d in repository] + payload["diagnostics"]
        payload["ok"] = payload["ok"] and not any(d.severity == "error" for d in repository)
        report(payload)
    else:
        emit(repository)
        for result in results:
            emit(result.diagnostics)
        if not quiet:
            _say_written(results, out, settings, verb)
    if not all(r.ok for r in results) or any(d.severity == "error" for d in repository):
        raise Exit(1)


def _say_written(results: list[Result], out: Path | None, settings: Settings, verb: str) -> None:
    for result in results:
        if not result.ok:
            continue
        for name, data in result.outputs.items():
            head = json.loads(data)
            where = settings.rel(out / name) if out is not None else name
            version, digest = head["schema_version"], head["content_hash"][:19]
            say(f"{verb} {result.env}: {where} ({version}, {digest})")


def progress(quiet: bool, output_format: str) -> Progress | None:
    """A one-line counter on a terminal for long builds; nothing in CI, -q or --format json."""
    if quiet or output_format != "text" or not sys.stderr.isatty():
        return None

    def show(done: int, total: int, env: str) -> None:
        if total < 10:
            return
        warn(f"\r\033[Kcompiled {done}/{total}: {env}", nl=False)
        if done == total:
            warn("\r\033[K", nl=False)

    return show
