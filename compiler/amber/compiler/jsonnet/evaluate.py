"""Evaluate one environment's Jsonnet with a real engine, confined to the repository.

Three steps, each in a module of its own: the engine runs under a deadline
(``deadline``), reading files only through the import callback (``imports``); its failures
come back as ``file:line:col`` diagnostics (``engine_errors``), never as tracebacks; its
output is checked before anything reads it (``output``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, NoReturn

from amber.compiler.arguments import for_environment
from amber.compiler.jsonnet.deadline import TimedOut, within
from amber.compiler.jsonnet.engine_errors import parse_engine_error
from amber.compiler.jsonnet.engines import ENGINES, missing_engine
from amber.compiler.jsonnet.imports import Importer, Refused
from amber.compiler.jsonnet.output import BadOutput, config_from
from amber.compiler.settings import Settings
from amber.errors import ConfigError, Diagnostic, UsageError


@dataclass
class Evaluation:
    value: dict[str, Any]
    # Repo-relative path -> "sha256:<hex>" of each file read, in the order first read.
    inputs: dict[str, str] = field(default_factory=dict)
    # Paths an import looked for and did not find: creating one would change the result.
    absent: list[str] = field(default_factory=list)


class EvaluationFailed(ConfigError):
    """A failed evaluation, with what it had read: the cache keys failures on those too."""

    def __init__(self, importer: Importer, problems: list[Diagnostic]) -> None:
        super().__init__(problems)
        self.inputs = dict(importer.inputs)
        self.absent = list(importer.absent)


def evaluate(settings: Settings, env: str, entry: str) -> Evaluation:
    """Evaluate ``entry`` (repo-relative) for environment ``env``; raise ``ConfigError``."""
    importer = Importer(settings)
    output = _run_engine(settings, env, entry, importer)
    try:
        value = config_from(output)
    except BadOutput as exc:
        problem = Diagnostic(str(exc), file=entry, env=env, path=exc.path, code="jsonnet")
        raise EvaluationFailed(importer, [problem]) from None
    return Evaluation(value=value, inputs=importer.inputs, absent=importer.absent)


def _run_engine(settings: Settings, env: str, entry: str, importer: Importer) -> str:
    """The engine's output text, within the timeout; every failure as a diagnostic."""
    given = for_environment(settings, env)
    arguments = replace(given, ext_vars={**given.ext_vars, "env": env})
    try:
        run = ENGINES[settings.engine]
    except KeyError:
        raise UsageError(f"unknown engine {settings.engine!r}") from None
    try:
        return within(
            settings.timeout or None, lambda: run(entry, importer, arguments, settings.max_stack)
        )
    except ImportError:
        raise UsageError(missing_engine(settings.engine)) from None
    except OSError as exc:
        raise UsageError(f"cannot read: {exc.strerror}", file=entry, env=env) from None
    except (TimedOut, Refused, UnicodeDecodeError, RuntimeError) as exc:
        _fail(exc, settings, env, entry, importer)


def _fail(exc: Exception, settings: Settings, env: str, entry: str, importer: Importer) -> NoReturn:
    """Translate an engine failure into the diagnostic that says where and why."""
    if isinstance(exc, TimedOut):
        message = (
            f"evaluation took longer than {settings.timeout} s (timeout setting): "
            "runaway computation?"
        )
        problem = Diagnostic(message, file=entry, env=env, code="timeout")
    elif isinstance(exc, Refused):
        code = "jsonnet" if exc.file else "import"
        problem = Diagnostic(str(exc), file=entry, env=env, code=code)
    elif isinstance(exc, UnicodeDecodeError):
        problem = _unreadable_error(env, entry, importer)
    else:
        problem = _engine_error(str(exc), env, entry, importer)
    raise EvaluationFailed(importer, [problem]) from None


def _unreadable_error(env: str, entry: str, importer: Importer) -> Diagnostic:
    """The engine's error text was not UTF-8: the tail of a refused import's message (see
    ``Importer.callback``).  What was refused, and where, the importer knows."""
    if importer.problem is None:
        message = "evaluation failed (the engine's message was unreadable)"
        return Diagnostic(message, file=entry, env=env, code="jsonnet")
    if importer.problem.file:
        return importer.problem._replace(env=env, code="jsonnet")
    file, line, col = importer.import_site()
    return importer.problem._replace(file=file or entry, line=line, col=col, env=env)


def _engine_error(text: str, env: str, entry: str, importer: Importer) -> Diagnostic:
    diagnostic = parse_engine_error(text, entry, env, set(importer.inputs))
    if importer.problem is not None and importer.problem.file:  # the imported file's fault
        return importer.problem._replace(env=env, code="jsonnet")
    if importer.problem is not None:  # our own import refusal, at the engine's location
        return Diagnostic(
            importer.problem.message,
            file=diagnostic.file,
            line=diagnostic.line,
            col=diagnostic.col,
            env=env,
            code="import",
        )
    return diagnostic
