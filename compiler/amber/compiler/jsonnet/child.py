"""Run functions in forked children, bounded in time and memory, so that runaway work and a
crash in native code fail one job, not the process that reports.

go-jsonnet's runtime cannot be caught from Python when it fails hard: deep ``tailstrict``
recursion (which Jsonnet's ``max_stack`` does not count) ends in "fatal error: stack
overflow", and a program too big for memory in "fatal error: out of memory"; either kills the
whole process with a Go trace of thousands of lines.  A runaway program never returns to
Python at all.  So each job runs in a child of its own, and the parent kills it at its deadline
or when its resident memory passes the limit, whatever it is busy with (the engine, a schema,
the credential scanner).  Resident memory, read from ``/proc`` every 50 ms, not an address
space limit: go-jsonnet reserves 1.6 GB of address space for an evaluation of any size.  A
child costs about 10 ms, most of it loading the engine afresh, which is what keeps the parent
safe to fork again.

Only on Linux, and only while this process has not loaded an engine itself (forking a live Go
runtime is unsafe) and runs no other thread; otherwise jobs run in this process, unbounded.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import selectors
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, NamedTuple

from amber.errors import AmberError, UsageError

ENGINE_MODULES = ("_gojsonnet", "rjsonnet")
# Words a runtime dies with when it cannot get memory: Go, Rust, the C library.
_OUT_OF_MEMORY = ("out of memory", "memory allocation of", "cannot allocate memory")


@dataclass(frozen=True)
class Limits:
    seconds: float | None = None  # wall-clock time from the fork; None: no limit
    memory: int | None = None  # bytes of resident memory; None: no limit


class Outcome(NamedTuple):
    """How a child ended.  ``kind``: ok, usage, amber, bug, crashed, timeout or memory."""

    kind: str
    value: Any
    said: str = ""  # what the child wrote to stderr


def available() -> bool:
    return (
        sys.platform.startswith("linux")
        and not any(name in sys.modules for name in ENGINE_MODULES)
        and threading.active_count() == 1
    )


@dataclass
class _Running:
    index: int
    pid: int
    pipe: int
    stderr: IO[bytes]
    deadline: float | None
    memory: int | None
    data: bytearray = field(default_factory=bytearray)


def run_all(
    jobs: Sequence[Callable[[], Any]],
    limits: Limits,
    parallel: int,
    finished: Callable[[int, Outcome], None],
) -> None:
    """Run every job in a child, ``parallel`` at a time; ``finished(index, outcome)`` as each
    ends.  If anything raises (``finished``, Ctrl-C), every running child is killed first.
    Where no child can be forked, the jobs run here, one by one and unbounded."""
    if not available():
        for index, job in enumerate(jobs):
            finished(index, Outcome(*_outcome(job)))
        return
    waiting = list(enumerate(jobs))
    running: dict[int, _Running] = {}
    selector = selectors.DefaultSelector()
    try:
        while waiting or running:
            while waiting and len(running) < max(1, parallel):
                index, job = waiting.pop(0)
                child = _start(index, job, limits)
                running[child.pipe] = child
                selector.register(child.pipe, selectors.EVENT_READ)
            for child, stopped in _wait(selector, running):
                selector.unregister(child.pipe)
                del running[child.pipe]
                finished(child.index, _finish(child, stopped))
    finally:
        for child in running.values():
            _kill(child)
        selector.close()


def call(function: Callable[[], Any], limits: Limits) -> Outcome:
    """One job in a child."""
    outcomes: list[Outcome] = []
    run_all([function], limits, 1, lambda _, outcome: outcomes.append(outcome))
    return outcomes[0]


# How often the parent looks at its children's memory.
POLL = 0.05


def _wait(
    selector: selectors.BaseSelector, running: dict[int, _Running]
) -> list[tuple[_Running, str]]:
    """The children that ended (their pipe closed: "") or are stopped ("timeout", "memory"),
    after one wait."""
    deadlines = [c.deadline for c in running.values() if c.deadline is not None]
    timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
    if any(c.memory is not None for c in running.values()):
        timeout = POLL if timeout is None else min(timeout, POLL)
    ended: list[tuple[_Running, str]] = []
    for key, _ in selector.select(timeout):
        child = running[key.fd]
        chunk = os.read(child.pipe, 1 << 20)
        if chunk:
            child.data += chunk
        else:
            ended.append((child, ""))
    done = {id(child) for child, _ in ended}
    now = time.monotonic()
    for child in running.values():
        if id(child) in done:
            continue
        if child.deadline is not None and now >= child.deadline:
            ended.append((child, "timeout"))
        elif child.memory is not None and _resident(child.pid) > child.memory:
            ended.append((child, "memory"))
    return ended


def _resident(pid: int) -> int:
    """Bytes of memory a process has resident (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _start(index: int, job: Callable[[], Any], limits: Limits) -> _Running:
    read_end, write_end = os.pipe()
    stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _finish or _kill
    # Flushed now, or the child would hold a copy of what is buffered and print it again.
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; its outcome is what the parent checks
        os.close(read_end)
        _child(job, parent, write_end, stderr.fileno())
    os.close(write_end)
    deadline = time.monotonic() + limits.seconds if limits.seconds else None
    return _Running(index, pid, read_end, stderr, deadline, limits.memory)


def _finish(child: _Running, stopped: str) -> Outcome:
    if stopped:
        _kill(child)
        return Outcome(stopped, None)
    os.close(child.pipe)
    _, status = os.waitpid(child.pid, 0)
    child.stderr.seek(0)
    said = child.stderr.read(1 << 20).decode("utf-8", "replace")
    child.stderr.close()
    if os.waitstatus_to_exitcode(status) == 0 and child.data:
        kind, value = pickle.loads(bytes(child.data))
        return Outcome(kind, value, said)
    if "runtime.newstack" in said:  # Go's stack growing past what the process may have
        return Outcome("crashed", "stack overflow", said)
    if any(words in said for words in _OUT_OF_MEMORY):
        return Outcome("memory", None, said)
    return Outcome("crashed", _reason(said, status), said)


def _kill(child: _Running) -> None:
    with contextlib.suppress(ChildProcessError, ProcessLookupError):  # already gone
        os.kill(child.pid, signal.SIGKILL)
        os.waitpid(child.pid, 0)
    with contextlib.suppress(OSError):
        os.close(child.pipe)
    child.stderr.close()


def _die_with(parent: int) -> None:
    """Have the kernel kill this child when its parent dies (killed by PID, not by Ctrl-C to
    the group): a runaway evaluation must not go on as an orphan."""
    import ctypes

    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux's libc
        return
    if os.getppid() != parent:  # the parent died before the call
        os._exit(70)


def _child(
    job: Callable[[], Any], parent: int, write_end: int, stderr: int
) -> None:  # pragma: no cover - runs in the child
    status = 70
    try:
        _die_with(parent)
        os.dup2(stderr, 2)  # a runtime's dying words go to the parent, not the terminal
        data = pickle.dumps(_outcome(job), protocol=pickle.HIGHEST_PROTOCOL)
        with open(write_end, "wb") as pipe:
            pipe.write(data)
        sys.stdout.flush()  # a rule's print() (the buffer was empty at the fork)
        sys.stderr.flush()
        status = 0
    finally:
        os._exit(status)  # no atexit handlers


def _outcome(job: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return ("ok", job())
    except UsageError as exc:
        return ("usage", (exc.message, exc.file, exc.env, exc.path))
    except AmberError as exc:
        return ("amber", (exc.diagnostics(), exc.exit_code))
    except MemoryError:
        return ("memory", None)
    except Exception as exc:  # noqa: BLE001 - a bug: the parent reports it
        return ("bug", f"{type(exc).__name__}: {exc}")


def _reason(said: str, status: int) -> str:
    for line in said.splitlines():
        if line.startswith("fatal error: "):  # the Go runtime's own words
            return line[len("fatal error: ") :].strip()
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        try:
            return f"killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with status {code}"


_echoed: set[str] = set()


def echo(text: str, redact: Callable[[str], str] = lambda text: text) -> None:
    """Pass on what user code (a rule, a warning, std.trace) wrote to stderr in a child, as if
    it had run here, through ``redact``: once per process, since every child starts afresh (a
    warning would repeat)."""
    if text in _echoed:
        return
    _echoed.add(text)
    sys.stderr.write(redact(text))
    sys.stderr.flush()
