"""Compiling many environments: each in a process of its own, in parallel when it pays.

go-jsonnet's runtime cannot be caught when it dies (a Go "fatal error" ends the process), so
environments are compiled away from the process that reports: in worker processes started
from a clean interpreter (forking a process that has started the Go runtime is not safe), or
one by one in forked children.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import IO

from amber.compiler.build.compile import compile_env
from amber.compiler.build.compiled import Compiled
from amber.compiler.build.context import Context
from amber.compiler.build.facts import Facts
from amber.compiler.jsonnet import child
from amber.errors import Diagnostic

# Below this many environments to compile, worker processes cost more than they save.
PARALLEL_THRESHOLD = 4

Progress = Callable[[int, int, str], None]

_worker_context: Context | None = None
_worker_stderr: IO[bytes] | None = None


def _start_worker(facts: Facts) -> None:
    global _worker_context
    # Ctrl-C is the parent's to handle: it stops the workers (without a traceback from each).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # What a worker writes to stderr is sent back with each result: what rules say is passed on
    # (once), and what an engine prints as it crashes stays here, since the parent compiles
    # that environment again, alone, to say what happened.
    global _worker_stderr
    _worker_stderr = tempfile.TemporaryFile()  # noqa: SIM115 - open for the worker's life
    os.dup2(_worker_stderr.fileno(), 2)
    _worker_context = Context.load(facts)
    _said_in_worker()  # loading the rules here says what it said in the parent: once is enough


def _said_in_worker() -> str:
    assert _worker_stderr is not None
    sys.stderr.flush()
    _worker_stderr.seek(0)
    said = _worker_stderr.read()
    _worker_stderr.seek(0)
    _worker_stderr.truncate()
    return said.decode("utf-8", "replace")


def compile_isolated(context: Context, env: str, entry: str) -> Compiled:
    """`compile_env` in a child process: an engine that crashes fails this environment only."""
    try:
        return child.call(partial(compile_env, context, env, entry))
    except child.Crashed as exc:
        hint = ""
        if "stack" in exc.reason:
            hint = " (recursion through tailstrict calls, which max_stack does not count?)"
        elif "memory" in exc.reason:
            hint = " (a value too big for memory?)"
        message = f"the Jsonnet engine crashed: {exc.reason}{hint}"
        problem = Diagnostic(message, file=entry, env=env, code="crash")
        return Compiled(env=env, entry=entry, diagnostics=[problem])


def _compile_in_worker(job: tuple[str, str]) -> tuple[Compiled, str]:
    assert _worker_context is not None
    compiled = compile_env(_worker_context, *job)
    return compiled, _said_in_worker()


def _process_pool(jobs: int, facts: Facts) -> ProcessPoolExecutor:
    import multiprocessing

    # Workers start from a clean interpreter: forking a process that has started the Go
    # runtime (go-jsonnet) is not safe.
    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=_start_worker,
        initargs=(facts,),
    )


def compile_all(
    facts: Facts,
    work: list[tuple[str, str]],
    jobs: int,
    progress: Progress | None = None,
) -> list[Compiled]:
    """Compile environments, in worker processes when there are enough of them."""
    done: list[Compiled] = []
    context = Context.load(facts)  # here first: a broken schema or rules file fails fast
    if jobs > 1 and len(work) >= PARALLEL_THRESHOLD:
        _compile_in_pool(facts, work, jobs, done, progress)
    # Serial builds, and what a pool left when a worker died (an engine crash): one by one,
    # each in a child process, so a crash is reported against the environment that caused it.
    for job in work[len(done) :]:
        done.append(compile_isolated(context, *job))
        if progress is not None:
            progress(len(done), len(work), job[0])
    return done


def _compile_in_pool(
    facts: Facts,
    work: list[tuple[str, str]],
    jobs: int,
    done: list[Compiled],
    progress: Progress | None,
) -> None:
    """Compile ``work`` in order into ``done``; stop early if a worker dies."""
    pool = _process_pool(min(jobs, len(work)), facts)
    try:
        chunk = max(1, len(work) // (jobs * 8))
        for compiled, said in pool.map(_compile_in_worker, work, chunksize=chunk):
            if said:
                child.echo(said)
            done.append(compiled)
            if progress is not None:
                progress(len(done), len(work), compiled.env)
    except BrokenProcessPool:
        pool.shutdown(wait=True, cancel_futures=True)
        return
    except BaseException:
        # Ctrl-C or a failure: stop now rather than compile everything queued first.  A worker
        # may be stuck in a runaway evaluation, which only ends with its process.
        for process in list(pool._processes.values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
