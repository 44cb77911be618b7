"""child: functions run in forked children, bounded in time and memory, and what comes back
when a child dies, overruns or runs out of memory.

Each test runs in a fresh interpreter: the test process itself may have loaded an engine or
started threads, and then `child` rightly declines to fork.
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
import os, signal, sys, threading, time
from amber.compiler.jsonnet import child
from amber.errors import UsageError
NONE = child.Limits()
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
        assert child.available()
        kind, (pid, data), _ = child.call(lambda: (os.getpid(), {"a": [1, 2.5, "x"]}), NONE)
        print(kind, pid != os.getpid(), data)
    """)
    assert out == "ok True {'a': [1, 2.5, 'x']}"


def test_errors_come_back_as_what_they_were() -> None:
    out = run_python("""
        from amber.errors import ConfigError, Diagnostic
        def usage():
            raise UsageError("cannot read: gone", file="environments/x.jsonnet", env="x")
        def config():
            raise ConfigError([Diagnostic("$ref cannot be resolved", file="s.json")])
        for job in (usage, config, lambda: 1 / 0):
            print(child.call(job, NONE)[:2])
    """)
    assert out.splitlines() == [
        "('usage', ('cannot read: gone', 'environments/x.jsonnet', 'x', ''))",
        "('amber', ([Diagnostic(message='$ref cannot be resolved', file='s.json', line=None, "
        "col=None, severity='error', env='', path='', code='')], 1))",
        "('bug', 'ZeroDivisionError: division by zero')",
    ]


def test_a_runtime_that_dies_says_why_and_nothing_reaches_the_terminal() -> None:
    out = run_python("""
        def die():
            os.write(2, b"runtime: goroutine stack exceeds 1000000000-byte limit\\n")
            os.write(2, b"fatal error: stack overflow\\n\\nruntime stack:\\n...\\n")
            os._exit(2)
        print(child.call(die, NONE)[:2])
        print(child.call(lambda: os.kill(os.getpid(), signal.SIGKILL), NONE)[:2])
    """)
    assert out.splitlines() == [
        "('crashed', 'stack overflow')",
        "('crashed', 'killed by signal SIGKILL')",
    ]


def test_a_runaway_child_is_killed_at_its_deadline() -> None:
    out = run_python("""
        started = time.monotonic()
        outcome = child.call(lambda: time.sleep(60), child.Limits(seconds=1))
        print(outcome.kind, round(time.monotonic() - started))
    """)
    assert out == "timeout 1"


def test_a_child_that_wants_too_much_memory_is_stopped() -> None:
    out = run_python("""
        limit = child.Limits(memory=256 * 1024 * 1024)
        def hog():
            held = [bytearray(1024 ** 2) for _ in range(1024)]
            time.sleep(60)
            return len(held)
        print(child.call(hog, limit).kind)
        print(child.call(lambda: len(bytearray(1024 ** 2)), limit)[:2])
    """)
    assert out.splitlines() == ["memory", "('ok', 1048576)"]


def test_children_run_side_by_side_and_report_as_each_ends() -> None:
    out = run_python("""
        order = []
        jobs = [lambda: time.sleep(0.6) or "slow", lambda: "fast", lambda: time.sleep(0.3) or "mid"]
        started = time.monotonic()
        child.run_all(jobs, NONE, 3, lambda index, outcome: order.append(outcome.value))
        print(order, time.monotonic() - started < 1.2)
    """)
    assert out == "['fast', 'mid', 'slow'] True"


def test_a_failure_while_reporting_kills_the_children_still_running(tmp_path: Path) -> None:
    pid_file = tmp_path / "spin.pid"
    out = run_python(f"""
        def spin():
            open({str(pid_file)!r} + ".tmp", "w").write(str(os.getpid()))
            os.rename({str(pid_file)!r} + ".tmp", {str(pid_file)!r})
            time.sleep(60)
        def first():
            while not os.path.exists({str(pid_file)!r}):  # the spinner is running by now
                time.sleep(0.01)
        def stop(index, outcome):
            raise KeyboardInterrupt
        try:
            child.run_all([first, spin], NONE, 2, stop)
        except KeyboardInterrupt:
            print("stopped")
    """)
    assert out == "stopped"
    pid = int(pid_file.read_text())
    assert not Path(f"/proc/{pid}").exists()  # killed and reaped before run_all raised


def test_no_fork_once_an_engine_is_loaded_or_a_thread_runs() -> None:
    out = run_python("""
        stop = threading.Event()
        threading.Thread(target=stop.wait).start()
        print(child.available(), child.call(os.getpid, NONE).value == os.getpid())
        stop.set()
        import _gojsonnet
        print(child.available())
    """)
    assert out == "False True\nFalse"


def test_what_the_child_prints_is_printed_once() -> None:
    out = run_python("""
        print("before", flush=False)  # buffered in the parent at the fork
        def chatty():
            print("from the child")
            return 1
        print(child.call(chatty, NONE).value)
    """)
    assert out.splitlines() == ["before", "from the child", "1"]


def test_what_the_child_says_on_stderr_comes_back_with_its_outcome() -> None:
    out = run_python("""
        print(repr(child.call(lambda: sys.stderr.write("careful\\n"), NONE).said))
    """)
    assert out == "'careful\\n'"


def test_the_same_text_echoed_from_many_children_is_said_once() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PRELUDE + "for n in range(3):\n    child.echo('careful\\n')\n"],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
    )
    assert done.returncode == 0 and done.stderr == "careful\n", done.stderr


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
            + "child.call(spin, NONE)\n",
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
