"""Run a function in a forked child, so that a crash in native code is an error, not our death.

go-jsonnet's runtime cannot be caught from Python when it fails hard: deep ``tailstrict``
recursion (which Jsonnet's ``max_stack`` does not count) ends in "fatal error: stack
overflow", and a program too big for memory in "fatal error: runtime: out of memory"; either
kills the whole process with a Go trace of thousands of lines.  A child costs about 20 ms
per environment (measured: 27 ms against 8 ms in-process), most of it loading the engine
afresh, which is what keeps the parent safe to fork again.

Only on Linux, and only while this process has not loaded an engine itself (forking a live Go
runtime is unsafe) and runs no other thread; otherwise the function runs in this process.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from amber.errors import AmberError, ConfigError, UsageError

T = TypeVar("T")

ENGINE_MODULES = ("_gojsonnet", "rjsonnet")


class Crashed(Exception):
    """The child died without a result; ``reason`` is what it said last, if anything."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def available() -> bool:
    return (
        sys.platform.startswith("linux")
        and not any(name in sys.modules for name in ENGINE_MODULES)
        and threading.active_count() == 1
    )


def call(function: Callable[[], T]) -> T:
    """``function()``, computed in a child process when `available()`, else here."""
    if not available():
        return function()
    read_end, write_end = os.pipe()
    # Flushed now, or the child would hold a copy of what is buffered and print it again.
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    with tempfile.TemporaryFile() as stderr:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; its outcome is what the parent checks
            _child(function, parent, read_end, write_end, stderr.fileno())
        os.close(write_end)
        try:
            with open(read_end, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
        except BaseException:  # Ctrl-C: the child must not outlive us
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        if os.waitstatus_to_exitcode(status) == 0 and data:
            stderr.seek(0)
            said = stderr.read()
            if said:
                echo(said.decode("utf-8", "replace"))
            outcome: tuple[str, Any] = pickle.loads(data)
            kind, value = outcome
            if kind == "ok":
                return value  # type: ignore[no-any-return]
            if kind == "usage":
                message, file, env, path = value
                raise UsageError(message, file=file, env=env, path=path)
            if kind == "amber":
                diagnostics, exit_code = value
                raise ConfigError(diagnostics, exit_code=exit_code)
            raise RuntimeError(value)
        stderr.seek(0)
        raise Crashed(_reason(stderr.read(64 * 1024), status))


_echoed: set[str] = set()


def echo(text: str) -> None:
    """Pass on what user code (a rule, a warning) wrote to stderr in a child, as if it had run
    here: once per process, since every child starts afresh (a warning would repeat)."""
    if text in _echoed:
        return
    _echoed.add(text)
    sys.stderr.write(text)
    sys.stderr.flush()


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
    function: Callable[[], Any], parent: int, read_end: int, write_end: int, stderr: int
) -> None:
    status = 70
    try:
        _die_with(parent)
        os.close(read_end)
        os.dup2(stderr, 2)  # a runtime's dying words go to the parent, not the terminal
        outcome: tuple[str, Any]
        try:
            outcome = ("ok", function())
        except UsageError as exc:
            outcome = ("usage", (exc.message, exc.file, exc.env, exc.path))
        except AmberError as exc:
            outcome = ("amber", (exc.diagnostics(), exc.exit_code))
        except Exception as exc:  # noqa: BLE001 - a bug: the parent reports it
            outcome = ("bug", f"{type(exc).__name__}: {exc}")
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        with open(write_end, "wb") as pipe:
            pipe.write(data)
        sys.stdout.flush()  # a rule's print() (the buffer was empty at the fork)
        sys.stderr.flush()
        status = 0
    finally:
        os._exit(status)  # no atexit handlers


def _reason(text: bytes, status: int) -> str:
    for line in text.decode("utf-8", "replace").splitlines():
        if line.startswith("fatal error: "):  # the Go runtime's own words
            return line[len("fatal error: ") :].strip()
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        try:
            return f"killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with status {code}"
