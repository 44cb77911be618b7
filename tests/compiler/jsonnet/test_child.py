"""isolate: a function run in a forked child, and what comes back when the child dies.

Each test runs in a fresh interpreter: the test process itself may have loaded an engine or
started threads, and then `isolate` rightly declines to fork.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.support.repo import clean_env

PRELUDE = """
import os, signal, sys, threading
from amber.compiler.jsonnet import child as isolate
from amber.errors import UsageError
"""


def run_python(body: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(body)],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # in particular, no dying runtime's words from a child
    return done.stdout.strip()


pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux")


def test_the_value_comes_back_from_another_process() -> None:
    out = run_python("""
        assert isolate.available()
        pid, data = isolate.call(lambda: (os.getpid(), {"a": [1, 2.5, "x"]}))
        print(pid != os.getpid(), data)
    """)
    assert out == "True {'a': [1, 2.5, 'x']}"


def test_a_usage_error_keeps_its_file_and_environment() -> None:
    out = run_python("""
        def fail():
            raise UsageError("cannot read: gone", file="environments/x.jsonnet", env="x")
        try:
            isolate.call(fail)
        except UsageError as exc:
            print(str(exc))
    """)
    assert out == "environments/x.jsonnet: x: cannot read: gone"


def test_a_bug_in_the_child_is_an_error_in_the_parent() -> None:
    out = run_python("""
        try:
            isolate.call(lambda: 1 / 0)
        except RuntimeError as exc:
            print(exc)
    """)
    assert out == "ZeroDivisionError: division by zero"


def test_a_runtime_that_dies_says_why_and_nothing_reaches_the_terminal() -> None:
    out = run_python("""
        def die():
            os.write(2, b"runtime: goroutine stack exceeds 1000000000-byte limit\\n")
            os.write(2, b"fatal error: stack overflow\\n\\nruntime stack:\\n...\\n")
            os._exit(2)
        try:
            isolate.call(die)
        except isolate.Crashed as exc:
            print(exc.reason)
    """)
    assert out == "stack overflow"


def test_a_child_killed_by_a_signal() -> None:
    out = run_python("""
        try:
            isolate.call(lambda: os.kill(os.getpid(), signal.SIGKILL))
        except isolate.Crashed as exc:
            print(exc.reason)
    """)
    assert out == "killed by signal SIGKILL"


def test_no_fork_once_an_engine_is_loaded_or_a_thread_runs() -> None:
    out = run_python("""
        stop = threading.Event()
        threading.Thread(target=stop.wait).start()
        print(isolate.available(), isolate.call(os.getpid) == os.getpid())
        stop.set()
        import _gojsonnet
        print(isolate.available())
    """)
    assert out == "False True\nFalse"


def test_what_the_child_prints_is_printed_once() -> None:
    out = run_python("""
        print("before", flush=False)  # buffered in the parent at the fork
        def chatty():
            print("from the child")
            return 1
        print(isolate.call(chatty))
    """)
    assert out.splitlines() == ["before", "from the child", "1"]


def test_what_the_child_says_on_stderr_reaches_the_parents_stderr() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PRELUDE + "isolate.call(lambda: sys.stderr.write('careful\\n'))"],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "careful\n")


def test_a_config_error_keeps_its_diagnostics_and_exit_code() -> None:
    out = run_python("""
        from amber.errors import ConfigError, Diagnostic
        def fail():
            problem = Diagnostic("$ref cannot be resolved", file="config/schema/1.2.0.json")
            raise ConfigError([problem])
        try:
            isolate.call(fail)
        except ConfigError as exc:
            print(exc.exit_code, exc)
    """)
    assert out == "1 config/schema/1.2.0.json: error: $ref cannot be resolved"


def test_the_same_warning_from_many_children_is_said_once() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            PRELUDE
            + "import warnings\n"
            + "for n in range(3):\n"
            + "    isolate.call(lambda: warnings.warn('deprecated helper'))\n",
        ],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
    )
    assert done.returncode == 0 and done.stderr.count("deprecated helper") == 1, done.stderr


def test_a_child_does_not_outlive_a_killed_parent(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            PRELUDE
            + "import time\n"
            + "def spin():\n"
            + f"    open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
            + "    time.sleep(60)\n"
            + "isolate.call(spin)\n",
        ],
        env=clean_env(),
    )
    deadline = time.monotonic() + 30
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline, "the child never started"
        time.sleep(0.05)
    child = int(pid_file.read_text())
    parent.kill()  # by PID, as a CI runner or a supervisor would: no Ctrl-C to a group
    parent.wait()
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return
        if state == "Z":  # dead, waiting for an init that may not reap promptly
            return
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    raise AssertionError("the child kept running after its parent was killed")
