"""Compiling many environments: each in a child process of its own, bounded, ``jobs`` at a time.

Each child compiles one environment (evaluate, validate, scan, migrate) under the ``timeout``
and ``max_memory`` settings: a runaway program, a crash in the engine or a value too big for
memory fails that environment with a diagnostic, and the others are built.  The validators,
rules and migrations are loaded once here, before the forks, and shared by every child.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from amber.compiler.build.compile import compile_env
from amber.compiler.build.compiled import Compiled
from amber.compiler.build.context import Context
from amber.compiler.build.facts import Facts
from amber.compiler.checks import credentials
from amber.compiler.jsonnet import child
from amber.compiler.settings import Settings
from amber.errors import ConfigError, Diagnostic, UsageError

Progress = Callable[[int, int, str], None]
MIB = 1024 * 1024
# What Rust's panic hook writes as rjsonnet panics: a line, a backtrace, a note.
_RUST_PANIC = re.compile(r"thread '[^'\n]*' panicked at .*?(?:^note: [^\n]*\n|\Z)", re.S | re.M)


def limits(settings: Settings) -> child.Limits:
    return child.Limits(
        seconds=settings.timeout or None,
        memory=settings.max_memory * MIB if settings.max_memory else None,
    )


def compile_all(
    facts: Facts,
    work: list[tuple[str, str]],
    jobs: int,
    progress: Progress | None = None,
) -> list[Compiled]:
    """Compile environments, in bounded children where this platform allows."""
    context = Context.load(facts)  # here first: a broken schema or rules file fails fast
    done: list[Compiled | None] = [None] * len(work)

    def finished(index: int, outcome: child.Outcome) -> None:
        done[index] = _compiled(context.settings, *work[index], outcome)
        if progress is not None:
            progress(sum(c is not None for c in done), len(work), work[index][0])

    tasks = [partial(compile_env, context, env, entry) for env, entry in work]
    child.run_all(tasks, limits(context.settings), jobs, finished)
    return [compiled for compiled in done if compiled is not None]


def _compiled(settings: Settings, env: str, entry: str, outcome: child.Outcome) -> Compiled:
    """What a child's outcome says of its environment; an error of the repository is raised."""
    said = _RUST_PANIC.sub("", outcome.said)  # the diagnostic says it, without the backtrace
    if said and outcome.kind in ("ok", "amber", "usage"):
        child.echo(said, partial(credentials.redact, allow=settings.allow_credentials))
    if outcome.kind == "ok":
        compiled: Compiled = outcome.value
        return compiled
    if outcome.kind == "usage":
        message, file, where, path = outcome.value
        raise UsageError(message, file=file, env=where, path=path)
    if outcome.kind == "amber":
        diagnostics, exit_code = outcome.value
        raise ConfigError(diagnostics, exit_code=exit_code)
    if outcome.kind == "bug":
        raise RuntimeError(outcome.value)
    problem = Diagnostic(_why(settings, outcome), file=entry, env=env, code=_CODES[outcome.kind])
    return Compiled(env=env, entry=entry, diagnostics=[problem])


_CODES = {"timeout": "timeout", "memory": "memory", "crashed": "crash"}


def _why(settings: Settings, outcome: child.Outcome) -> str:
    if outcome.kind == "timeout":
        return (
            f"evaluation took longer than {settings.timeout} s (timeout setting): "
            "runaway computation?"
        )
    if outcome.kind == "memory":
        return (
            f"compiling needed more than {settings.max_memory} MiB (max_memory setting): "
            "a value too big for memory?"
        )
    reason = str(outcome.value)
    hint = ""
    if "stack" in reason:
        hint = " (recursion through tailstrict calls, which max_stack does not count?)"
    return f"the Jsonnet engine crashed: {reason}{hint}"
