"""A deadline for one evaluation, on a thread of its own so that Ctrl-C can still act."""

from __future__ import annotations

import threading
from collections.abc import Callable


class TimedOut(Exception):
    pass


def within(seconds: float | None, call: Callable[[], str]) -> str:
    """``call()``, given up after ``seconds``.

    The engine runs on a thread of its own because go-jsonnet gives up the GIL while it
    evaluates but never returns to Python until it is done: on the main thread, a runaway
    program could not even be stopped with Ctrl-C.  Here the main thread waits in
    ``join``, which a signal interrupts.  A runaway evaluation cannot be cancelled, only
    abandoned: the daemon thread ends with the process (builds evaluate in child processes).
    rjsonnet keeps the GIL while it evaluates, so with it the timeout cannot act.
    """
    outcome: list[str] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:  # noqa: BLE001 - re-raised on the calling thread
            failure.append(exc)

    worker = threading.Thread(target=target, name="amber-jsonnet", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimedOut
    if failure:
        raise failure[0]
    return outcome[0]
