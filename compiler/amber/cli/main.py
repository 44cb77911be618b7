"""The ``amber`` command.  The one place where errors become messages and exit codes.

Exit codes: 0 success, 1 the config is invalid (for ``diff``: differs), 2 usage or
environment error, 130 interrupted.  Diagnostics go to stderr, one line each; with
``--format json`` every outcome, failures included, is a report on stdout instead.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from pathlib import Path
from typing import NoReturn

import click

from amber.cli.output import Exit, emit, failure_report, warn
from amber.compiler.build.facts import amber_version
from amber.errors import AmberError, Diagnostic

# Each command's module, imported only when the command runs (or help lists it): the hook
# runs `amber check` on every commit, and need not import what publish or diff use.
COMMANDS = {
    "build": "build:build_command",
    "check": "build:check_command",
    "show": "show:show_command",
    "flags": "flags:flags_command",
    "diff": "diff:diff_command",
    "init": "init:init_command",
    "migrate": "migrate:migrate_command",
    "migrations": "migrate:migrations_command",
    "publish": "publish:publish_command",
    "rollback": "publish:rollback_command",
    "history": "publish:history_command",
    "pull": "publish:pull_command",
    "keygen": "publish:keygen_command",
    "export": "export:export_command",
    "types": "types:types_command",
    "docs": "docs:docs_command",
}


class Commands(click.Group):
    """The commands of ``COMMANDS``, each imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name].split(":")
        command: click.Command = getattr(
            importlib.import_module(f"amber.cli.commands.{module}"), attribute
        )
        return command


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--repo",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The config repository (default: found upward from the current directory).",
)
@click.version_option(amber_version(), prog_name="amber")
@click.pass_context
def cli(ctx: click.Context, repo: Path | None) -> None:
    """Amber: compile Jsonnet config into frozen, validated, versioned JSON artifacts."""
    ctx.obj = repo


def _wants_json(argv: list[str]) -> bool:
    pairs = zip(argv, [*argv[1:], ""], strict=True)
    return "--format=json" in argv or any(a == "--format" and b == "json" for a, b in pairs)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn every outcome into an exit code."""
    # With --format json a failure is also reported as JSON on stdout, so a script reading
    # the report always has one to read.
    as_json = _wants_json(sys.argv[1:] if argv is None else argv)
    try:
        cli.main(args=argv, prog_name="amber", standalone_mode=False)
    except Exit as done:
        sys.exit(done.code)
    except AmberError as exc:
        _say(exc.diagnostics(), as_json)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        _fail("aborted", 130, as_json)
    except click.ClickException as exc:
        if as_json:
            failure_report([Diagnostic(exc.format_message())])
        else:
            _show_click_error(exc)
        sys.exit(2 if exc.exit_code == 2 else exc.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except BrokenPipeError:  # before OSError, its base class
        # stdout closed early (| head): quiet exit, and no second error on flush at shutdown
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except OSError as exc:  # a path the user gave cannot be read or written
        where = f": {exc.filename}" if exc.filename else ""
        _fail(f"error: {exc.strerror or exc}{where}", 2, as_json)
    except KeyboardInterrupt:
        _fail("interrupted", 130, as_json)
    except Exception as exc:  # noqa: BLE001 - a bug: say so briefly, full trace on request
        if os.environ.get("AMBER_DEBUG"):
            traceback.print_exc()
        message = f"internal error: {type(exc).__name__}: {exc} (set AMBER_DEBUG=1 for a trace)"
        _fail(message, 2, as_json)
    sys.exit(0)


def _say(diagnostics: list[Diagnostic], as_json: bool) -> None:
    if as_json:  # the report instead of the lines, as for a config that fails
        failure_report(diagnostics)
    else:
        emit(diagnostics)


def _fail(message: str, code: int, as_json: bool) -> NoReturn:
    if as_json:
        failure_report([Diagnostic(message)])
    else:
        warn(f"amber: {message}")
    sys.exit(code)


def _show_click_error(exc: click.ClickException) -> None:
    """Click's own words for a bad command line (usage and hint included), credentials cut:
    the argument it quotes may be anything."""
    if isinstance(exc, click.UsageError) and exc.ctx is not None:
        hint = f"Try '{exc.ctx.command_path} {exc.ctx.help_option_names[0]}' for help.\n"
        warn(f"{exc.ctx.get_usage()}\n{hint}", nl=False)
    warn(f"Error: {exc.format_message()}")
