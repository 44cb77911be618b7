"""Failpoints: named steps of a publish where a test can make the process die, as a crash would.

``AMBER_FAILPOINT=<name>`` makes the step of that name end the process (exit status 99, no
cleanup, nothing flushed), so tests can check that the store heals after a crash at any step
(``tests/publish/test_directory_crashes.py``).  Unset, a failpoint is one dictionary lookup.
"""

from __future__ import annotations

import os

NAMES = (
    "object-written",
    "history-torn",
    "history-written",
    "pointer-linked",
    "pointer-moved",
)


def failpoint(name: str, *, exit: bool = False) -> bool:
    """Is the failpoint ``name`` set?  With ``exit``, die here if it is."""
    if os.environ.get("AMBER_FAILPOINT") != name:
        return False
    if exit:
        os._exit(99)
    return True
